"""The ground floor every stage may use: settings, storage, the clock, images, files, secrets, registries."""
