//! Manifest.mbdb (iOS 9 and earlier): the flat big-endian record format.
