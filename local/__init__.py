"""The embedded local stack: development and tests only, never packaged into a Lambda or the layer."""
