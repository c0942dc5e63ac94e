DROP TABLE roleplay_observations;
DROP TABLE program_roleplays;
