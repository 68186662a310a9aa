import { api, type Contact } from '../api.ts';
import { AddressHistory } from '../components/address-timeline.tsx';
import { Facts, RoleTags } from '../components/facts.tsx';
import { loadCentral, MergedAway, RecordHistory } from '../components/record-history.tsx';
import { SourceLinks } from '../components/source-links.tsx';
import { formatDate, formatDateTime, formatPhone } from '../format.ts';
import { usePageTitle, useResource } from '../hooks.ts';
import { Link } from '../router.tsx';

const fullName = (p: Contact) => [p.title, p.firstName, p.lastName].filter(Boolean).join(' ');

export function ContactPage({ id }: { id: string }) {
  const contact = useResource(`contact:${id}`, () => loadCentral(api.contact, id));
  const p = contact.data?.kind === 'found' ? contact.data.record : null;
  const into = contact.data?.kind === 'merged' ? contact.data.into : null;
  const name = p ? fullName(p) : null;
  const title = name ?? (into ? `This contact was merged into ${fullName(into)}` : contact.error ? 'Contact not found' : 'Contact');
  const heading = usePageTitle(name ?? (into ? 'Merged contact' : 'Contact'));
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link href="/contacts">Contacts</Link>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {contact.error && <p role="alert">{contact.error}</p>}
      {!contact.data && !contact.error && <p className="muted">Loading…</p>}
      {into && <MergedAway href={`/contacts/${into.id}`} name={fullName(into)} noun="contact" />}
      {p && (
        <>
          <section className="card" aria-labelledby="details-title">
            <h2 id="details-title">Details</h2>
            <Facts
              items={[
                ['Email', p.email && <a href={`mailto:${p.email}`}>{p.email}</a>],
                ['Phone', p.phone && <a href={`tel:${p.phone}`}>{formatPhone(p.phone)}</a>],
                ['Date of birth', p.dateOfBirth && formatDate(p.dateOfBirth)],
                ['NI number', p.niNumber],
                ['In BrightClient since', formatDateTime(p.createdAt)],
              ]}
            />
          </section>
          <SourceLinks id={p.id} sources={p.sources} record={p} type="contacts" onChanged={contact.reload} />
          <section className="card" aria-labelledby="clients-title">
            <h2 id="clients-title">Clients</h2>
            <ul className="contact-list">
              {p.clients.map((c) => (
                <li key={c.id}>
                  <Link href={`/clients/${c.id}`}>{c.name}</Link>
                  <RoleTags roles={c.roles} />
                  <span className="muted">{c.clientReference}</span>
                </li>
              ))}
            </ul>
          </section>
          <AddressHistory addresses={p.addresses} />
          <RecordHistory actions={p.actions} sources={p.sources} type="contacts" />
        </>
      )}
    </div>
  );
}
