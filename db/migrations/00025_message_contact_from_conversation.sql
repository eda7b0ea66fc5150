-- A message's contact is its conversation's contact: a conversation belongs to one contact on one number,
-- and a contact merge re-points conversations. The copy on every message had to be kept equal by hand,
-- cost a foreign-key lookup into contacts on every insert (a third of the insert's time with the key to
-- conversations), and, with no index behind it, made every contact merge and contact delete scan all of
-- the tenant's messages. Readers join through the conversation instead.
ALTER TABLE messages DROP COLUMN contact_id;
