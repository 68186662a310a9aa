import { api } from '../api.ts';
import { AddressHistory } from '../components/address-timeline.tsx';
import { Facts, RoleTags } from '../components/facts.tsx';
import { loadCentral, MergedAway, RecordHistory } from '../components/record-history.tsx';
import { SourceLinks } from '../components/source-links.tsx';
import { codeLabel, formatDateTime, formatPhone, websiteHref } from '../format.ts';
import { usePageTitle, useResource } from '../hooks.ts';
import { Link } from '../router.tsx';

export function ClientPage({ id }: { id: string }) {
  const client = useResource(`client:${id}`, () => loadCentral(api.client, id));
  const c = client.data?.kind === 'found' ? client.data.record : null;
  const into = client.data?.kind === 'merged' ? client.data.into : null;
  const title = c?.name ?? (into ? `This client was merged into ${into.name}` : client.error ? 'Client not found' : 'Client');
  const heading = usePageTitle(c?.name ?? (into ? 'Merged client' : 'Client'));
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link href="/clients">Clients</Link>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {client.error && <p role="alert">{client.error}</p>}
      {!client.data && !client.error && <p className="muted">Loading…</p>}
      {into && <MergedAway href={`/clients/${into.id}`} name={into.name} noun="client" />}
      {c && (
        <>
          <section className="card" aria-labelledby="details-title">
            <h2 id="details-title">Details</h2>
            <Facts
              items={[
                ['Client reference', c.clientReference],
                ['Type', codeLabel(c.clientType)],
                ['Company number', c.companyNumber],
                ['VAT number', c.vatNumber],
                ['UTR', c.utr],
                ['Email', c.email && <a href={`mailto:${c.email}`}>{c.email}</a>],
                ['Phone', c.phone && <a href={`tel:${c.phone}`}>{formatPhone(c.phone)}</a>],
                [
                  'Website',
                  c.website && (
                    <a href={websiteHref(c.website)} target="_blank" rel="noopener noreferrer">
                      {c.website}
                    </a>
                  ),
                ],
                ['In BrightClient since', formatDateTime(c.createdAt)],
              ]}
            />
          </section>
          <SourceLinks id={c.id} sources={c.sources} record={c} type="clients" onChanged={client.reload} />
          <section className="card" aria-labelledby="contacts-title">
            <h2 id="contacts-title">Contacts</h2>
            {c.contacts.length === 0 ? (
              <p className="muted">No contacts.</p>
            ) : (
              <ul className="contact-list">
                {c.contacts.map((p) => (
                  <li key={p.id}>
                    <Link href={`/contacts/${p.id}`}>{[p.title, p.firstName, p.lastName].filter(Boolean).join(' ')}</Link>
                    <RoleTags roles={p.roles} />
                    <span className="muted">{[p.email, p.phone && formatPhone(p.phone)].filter(Boolean).join(' · ')}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <AddressHistory addresses={c.addresses} />
          <RecordHistory actions={c.actions} sources={c.sources} type="clients" />
        </>
      )}
    </div>
  );
}
