//! The dashboard: terminal setup and restore, the event loop, app state, keymap and views.
