"""The portal's blueprints: pages, the life-event journey, the JSON API and vendored front-end files."""
