UPDATE attempt_answers SET chosen = trim(chosen, '[]');
