//! Where backup roots are: per-OS default rules as pure functions of an environment value, plus --root, --home, the config file, BACKTOP_ROOTS and mounted volumes.
