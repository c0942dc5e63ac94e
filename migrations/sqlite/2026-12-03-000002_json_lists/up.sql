-- The options chosen in an answer are a JSON list ([0,2]), like every other
-- list stored in a text column, instead of comma-joined text ("0,2").
UPDATE attempt_answers SET chosen = '[' || chosen || ']';
