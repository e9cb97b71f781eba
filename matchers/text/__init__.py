"""Reading titles: normalising, look-alike characters, pinyin readings, ordinary words, Latin words,
and finding many names at once."""
