"""The widgets of the browser: one class per module, each named after its class."""
