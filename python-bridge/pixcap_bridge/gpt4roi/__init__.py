"""GPT4RoI integration: dataset from pixcap corpora, stage config, stage-2 init, launcher, log parsing."""
