import { api } from '../api.ts';
import { AddressHistory } from '../components/address-timeline.tsx';
import { Facts, RoleTags } from '../components/facts.tsx';
import { SourceLinks } from '../components/source-links.tsx';
import { codeLabel, formatDateTime, formatPhone, websiteHref } from '../format.ts';
import { usePageTitle, useResource } from '../hooks.ts';
import { Link } from '../router.tsx';

export function ClientPage({ id }: { id: string }) {
  const client = useResource(`client:${id}`, () => api.client(id));
  const c = client.data;
  const heading = usePageTitle(c?.name ?? 'Client');
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link href="/clients">Clients</Link>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {c?.name ?? (client.error ? 'Client not found' : 'Client')}
      </h1>
      {client.error && <p role="alert">{client.error}</p>}
      {!c && !client.error && <p className="muted">Loading…</p>}
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
          <SourceLinks sources={c.sources} record={c} noun="client" />
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
        </>
      )}
    </div>
  );
}
