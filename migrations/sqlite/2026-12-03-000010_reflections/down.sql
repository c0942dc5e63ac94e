DROP TABLE reflections;
DROP TABLE course_reflection_prompts;
