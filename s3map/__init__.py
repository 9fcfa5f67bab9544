"""s3map: the S3 Observatory, Smart Specialisation Strategies on a map."""

__version__ = "0.1.0"
