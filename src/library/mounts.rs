//! The mount table: which file systems are mounted where. On Linux it is
//! `/proc/self/mountinfo`, parsed by the pure [`parse_mountinfo`]; volumes worth looking at for
//! `iMazing.Backups/` are the real file systems outside the system's own folders
//! ([`volume_mounts`]), so `/media/LABEL`, `/srv/...` and autofs mounts are found wherever they
//! sit. [`mount_point_of`] names the volume a root is on.

use std::path::{Path, PathBuf};

/// One mounted file system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// Where it is mounted.
    pub point: PathBuf,
    /// Its file system type (`ext4`, `exfat`, `nfs4`, `tmpfs`, …).
    pub fs_type: String,
    /// What is mounted (`/dev/sdb1`, `server:/share`, `tmpfs`).
    pub source: String,
}

/// File system types that hold no user's files: kernel interfaces, containers' layers,
/// in-memory folders, read-only packages, and autofs' own trigger (what it mounts shows up as
/// a mount of its own).
const PSEUDO: &[&str] = &[
    "autofs",
    "binfmt_misc",
    "bpf",
    "cgroup",
    "cgroup2",
    "configfs",
    "debugfs",
    "devpts",
    "devtmpfs",
    "efivarfs",
    "fusectl",
    "hugetlbfs",
    "mqueue",
    "nsfs",
    "overlay",
    "proc",
    "pstore",
    "ramfs",
    "rpc_pipefs",
    "securityfs",
    "selinuxfs",
    "squashfs",
    "sysfs",
    "tmpfs",
    "tracefs",
];

/// Folders of the system itself: nothing mounted in them is a user's volume (`/run/media` and
/// `/` itself are looked at apart).
const SYSTEM: &[&str] = &[
    "/boot",
    "/dev",
    "/etc",
    "/proc",
    "/run",
    "/snap",
    "/sys",
    "/usr",
    "/var/lib",
    "/var/snap",
];

/// `\040` (space), `\011` (tab), `\012` (newline) and `\134` (backslash) as the kernel writes
/// them in mount paths, made the bytes again; every other byte is kept as it is (a mount point
/// need not be UTF-8).
fn unescape(field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        let octal = field
            .get(i + 1..i + 4)
            .filter(|d| d.iter().all(|b| (b'0'..=b'7').contains(b)));
        match (field[i], octal) {
            (b'\\', Some(d)) => {
                let value = d.iter().fold(0u32, |n, b| n * 8 + u32::from(b - b'0'));
                out.push(u8::try_from(value).unwrap_or(b'?'));
                i += 4;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// A path from a mount table's bytes: exact on Unix, lossy elsewhere (there is no such table).
fn path_of(bytes: Vec<u8>) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// The mounts of a `/proc/self/mountinfo` text. A line is `id parent major:minor root
/// mount-point options [optional fields…] - fs-type source super-options`; lines that do not
/// read so are skipped. The table is bytes, not text: a mount point that is not UTF-8 (a
/// drive labelled in Latin-1) keeps its bytes, and costs no other line.
pub fn parse_mountinfo(text: impl AsRef<[u8]>) -> Vec<Mount> {
    let text_of = |field: &[u8]| String::from_utf8_lossy(&unescape(field)).into_owned();
    text.as_ref()
        .split(|&b| b == b'\n')
        .filter_map(|line| {
            let dash = line.windows(3).position(|w| w == b" - ")?;
            let (before, after) = (&line[..dash], &line[dash + 3..]);
            let point = before.split(|&b| b == b' ').nth(4)?;
            let mut rest = after.split(|&b| b == b' ');
            let fs_type = rest.next()?;
            let source = rest.next().unwrap_or(b"");
            Some(Mount {
                point: path_of(unescape(point)),
                fs_type: text_of(fs_type),
                source: text_of(source),
            })
        })
        .collect()
}

/// Whether `point` lies in one of the system's own folders (and not under `/run/media`, where
/// desktops mount removable drives).
fn in_system_folder(point: &Path) -> bool {
    if point.starts_with("/run/media") {
        return false;
    }
    SYSTEM.iter().any(|dir| point.starts_with(dir))
}

/// The mount points that may hold a user's backups: real file systems (not [`PSEUDO`]), not
/// `/`, not in the system's folders; each once, in the table's order.
pub fn volume_mounts(mounts: &[Mount]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for m in mounts {
        let pseudo = PSEUDO.contains(&m.fs_type.as_str()) || m.fs_type.starts_with("fuse.portal");
        if pseudo || m.point == Path::new("/") || in_system_folder(&m.point) {
            continue;
        }
        if !out.contains(&m.point) {
            out.push(m.point.clone());
        }
    }
    out
}

/// The mount point in `mounts` that holds `path`: the longest one it starts with.
pub fn mount_point_of<'a>(path: &Path, mounts: &'a [Mount]) -> Option<&'a Path> {
    mounts
        .iter()
        .map(|m| m.point.as_path())
        .filter(|p| path.starts_with(p))
        .max_by_key(|p| p.components().count())
}

/// This machine's mount table: `/proc/self/mountinfo` on Linux; `None` where it cannot be read
/// or there is none (other systems list their volumes in [`super::locate::mounted_volumes`]).
pub fn current() -> Option<Vec<Mount>> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    read_table(Path::new("/proc/self/mountinfo"))
}

/// The mount table in the `mountinfo` file at `path`; `None` when it cannot be read.
pub fn read_table(path: &Path) -> Option<Vec<Mount>> {
    std::fs::read(path).ok().map(parse_mountinfo)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A desktop's table, shortened: kernel folders, a root on ext4, a boot partition, a USB
    /// drive whose label has a space, a NAS over NFS, an autofs trigger and what it mounted, a
    /// tmpfs, a snap and a container layer.
    const SAMPLE: &str = "\
22 27 0:21 / /proc rw,relatime shared:12 - proc proc rw
23 27 0:22 / /sys rw,relatime shared:2 - sysfs sysfs rw
24 27 0:6 / /dev rw,relatime shared:3 - devtmpfs devtmpfs rw,size=12334076k,mode=755
27 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro
30 27 259:1 / /boot/efi rw,relatime shared:5 - vfat /dev/nvme0n1p1 rw,fmask=0077
31 27 0:25 / /run rw,nosuid,nodev shared:6 - tmpfs tmpfs rw,size=2466772k,mode=755
88 31 8:17 / /run/media/anna/Backup\\040Drive rw,nosuid,nodev shared:50 - exfat /dev/sdb1 rw,uid=1000
89 27 8:33 / /media/OLDMAC rw,relatime shared:51 - hfsplus /dev/sdc2 rw
90 27 0:50 / /srv/nas\\040share rw,relatime shared:52 - nfs4 nas:/volume1/backups rw,vers=4.2
91 27 0:51 / /net rw,relatime shared:53 - autofs systemd-1 rw,fd=44,pgrp=1,direct
92 91 0:52 / /net/tower rw,relatime shared:54 - nfs4 tower:/ rw
93 27 0:53 / /tmp rw,nosuid,nodev shared:55 - tmpfs tmpfs rw
94 27 7:1 / /snap/core22/1234 ro,nodev,relatime shared:56 - squashfs /dev/loop1 ro
95 27 0:60 / /var/lib/docker/overlay2/abc/merged rw,relatime - overlay overlay rw,lowerdir=x
96 27 8:49 /backups /home/anna/usb rw,relatime shared:57 - ext4 /dev/sdd1 rw
not a mountinfo line
";

    #[test]
    fn parses_every_line_and_unescapes_spaces() {
        let mounts = parse_mountinfo(SAMPLE);
        assert_eq!(mounts.len(), 15, "the bad line is skipped");
        assert_eq!(
            mounts[6],
            Mount {
                point: "/run/media/anna/Backup Drive".into(),
                fs_type: "exfat".into(),
                source: "/dev/sdb1".into(),
            }
        );
        assert_eq!(mounts[8].point, Path::new("/srv/nas share"));
        assert_eq!(mounts[8].source, "nas:/volume1/backups");
    }

    #[test]
    fn volumes_are_the_real_file_systems_outside_the_system_folders() {
        assert_eq!(
            volume_mounts(&parse_mountinfo(SAMPLE)),
            [
                PathBuf::from("/run/media/anna/Backup Drive"),
                PathBuf::from("/media/OLDMAC"),
                PathBuf::from("/srv/nas share"),
                PathBuf::from("/net/tower"),
                PathBuf::from("/home/anna/usb"),
            ]
        );
    }

    #[test]
    fn escapes_of_every_kind() {
        assert_eq!(unescape(br"a\040b\011c\012d\134e"), b"a b\tc\nd\\e");
        assert_eq!(
            unescape(br"trailing\04"),
            br"trailing\04",
            "a cut escape stays"
        );
        assert_eq!(unescape(br"\xyz"), br"\xyz");
        assert_eq!(
            unescape(br"caf\303\251"),
            "café".as_bytes(),
            "bytes of UTF-8 join up"
        );
    }

    /// The kernel writes a mount point's bytes as they are (only space, tab, newline and
    /// backslash escaped): a USB drive labelled in Latin-1 puts a byte that is not UTF-8 in
    /// the table. That line must not cost the rest of the table, and its path keeps its bytes.
    #[cfg(unix)]
    #[test]
    fn a_mount_point_that_is_not_utf8_keeps_the_table_and_its_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("mountinfo");
        let mut text = SAMPLE.as_bytes().to_vec();
        text.extend_from_slice(b"97 27 8:65 / /media/caf\xe9 rw,relatime - vfat /dev/sde1 rw\n");
        text.extend_from_slice(b"98 27 8:81 / /media/na\\357ve\\040x rw - exfat /dev/sdf1 rw\n");
        std::fs::write(&file, &text).unwrap();
        let mounts = read_table(&file).expect("one odd name does not lose the table");
        let volumes = volume_mounts(&mounts);
        let bytes: Vec<&[u8]> = volumes.iter().map(|p| p.as_os_str().as_bytes()).collect();
        assert_eq!(
            bytes,
            [
                &b"/run/media/anna/Backup Drive"[..],
                b"/media/OLDMAC",
                b"/srv/nas share",
                b"/net/tower",
                b"/home/anna/usb",
                b"/media/caf\xe9",
                b"/media/na\xefve x",
            ]
        );
        let root = volumes[5].join("iMazing.Backups");
        assert_eq!(mount_point_of(&root, &mounts), Some(volumes[5].as_path()));
    }

    #[test]
    fn a_root_s_volume_is_the_longest_mount_point_above_it() {
        let mounts = parse_mountinfo(SAMPLE);
        let of = |p: &str| mount_point_of(Path::new(p), &mounts).map(Path::to_path_buf);
        assert_eq!(
            of("/run/media/anna/Backup Drive/iMazing.Backups"),
            Some("/run/media/anna/Backup Drive".into())
        );
        assert_eq!(of("/home/anna/Library/x"), Some("/".into()));
        assert_eq!(of("/net/tower/iMazing.Backups"), Some("/net/tower".into()));
        assert_eq!(of("relative"), None);
    }
}
