-- Meta's quality score of a template (message_template_quality_update); UNKNOWN until Meta rates it.
ALTER TABLE message_templates
  ADD COLUMN quality text NOT NULL DEFAULT 'UNKNOWN' CHECK (quality IN ('GREEN', 'YELLOW', 'RED', 'UNKNOWN'));
