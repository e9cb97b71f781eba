"""What is protected: marks, their owners, variants, regions and reference images."""
