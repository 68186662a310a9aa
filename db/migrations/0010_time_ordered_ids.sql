-- Central records get time-ordered ids: the first 48 bits are the creation time in milliseconds, the rest random
-- (the layout of UUID version 7, which PostgreSQL 18 has built in). A batch's rows then land next to each other
-- in every index on an id — the central tables' primary keys and the indexes that point at them — instead of
-- across the whole index; random ids make each insert touch another page once the indexes outgrow memory.
CREATE FUNCTION time_ordered_uuid() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE
  RETURN encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                                         PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                                         FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid;
