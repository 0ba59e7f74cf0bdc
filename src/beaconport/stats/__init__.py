"""Statistics the operation can publish safely: figures labelled with their counting unit,
ethnicity recording, disclosure control, publication and the forecast."""
