UPDATE attempt_answers SET chosen = btrim(chosen, '[]');
