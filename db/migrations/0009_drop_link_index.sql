-- A contact's links are only ever read per batch (by the primary key) or for the whole import (hash joins), never by
-- client ref: the index only slowed every contacts batch's COPY.
DROP INDEX staged_contact_links_client;
