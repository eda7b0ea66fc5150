-- The language a person chose for the dashboard (issue 14): English, Spanish, Arabic or Hebrew. Null until
-- they choose; the dashboard then follows their browser (Accept-Language).
ALTER TABLE users ADD COLUMN language text CHECK (language IN ('en', 'es', 'ar', 'he'));
