"""Encryption at rest: a master key outside the database wraps one data key per case.

- Personal fields of each event are sealed with AES-256-GCM under the case's data key; the
  associated data binds the ciphertext to its case, event number and type, so a sealed blob
  copied onto another event does not open.
- Data keys are wrapped (AES-256-GCM) by the master key, which lives in a key file created by
  ``powcase init`` or in ``POWCASE_MASTER_KEY``; it never enters the database.
- Destroying a case's wrapped data key (crypto-shredding) makes its sealed fields unreadable for
  good, while the history and its hashes stay and verify.
- Searchable values (an exact service number) are stored only as keyed hashes (HMAC-SHA256 under
  a key derived from the master key), so a stolen database cannot be searched by guessing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from powcase.errors import InvalidInput, KeyUnavailable

KEY_BYTES = 32
NONCE_BYTES = 12
_VERSION = b"\x01"
MASTER_KEY_ENV = "POWCASE_MASTER_KEY"


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"powcase/" + purpose).derive(master)


@dataclass(frozen=True)
class MasterKey:
    """The key that wraps every case's data key. Its id is a fingerprint, safe to store."""

    material: bytes

    def __post_init__(self) -> None:
        if len(self.material) != KEY_BYTES:
            raise InvalidInput(f"master key: expected {KEY_BYTES} bytes, got {len(self.material)}")
        # Subkeys derived once: an import derives one per case and event otherwise.
        object.__setattr__(self, "_subkeys", {})
        object.__setattr__(self, "_templates", {})

    def _subkey(self, purpose: bytes) -> bytes:
        cache: dict[bytes, bytes] = self._subkeys  # type: ignore[attr-defined]
        if purpose not in cache:
            cache[purpose] = _derive(self.material, purpose)
        return cache[purpose]

    def __repr__(self) -> str:  # never print key material, even in a traceback
        return f"MasterKey(id={self.key_id})"

    @property
    def key_id(self) -> str:
        return hashlib.sha256(b"powcase/key-id" + self.material).hexdigest()[:16]

    @classmethod
    def generate(cls) -> MasterKey:
        return cls(os.urandom(KEY_BYTES))

    @classmethod
    def from_text(cls, text: str) -> MasterKey:
        try:
            raw = base64.b64decode(text.strip(), validate=True)
        except ValueError:
            raise InvalidInput("master key: not valid base64") from None
        return cls(raw)

    def to_text(self) -> str:
        return base64.b64encode(self.material).decode("ascii")

    def wrap(self, data_key: bytes, case_id: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return _VERSION + nonce + AESGCM(self._subkey(b"wrap")).encrypt(nonce, data_key, case_id.encode())

    def unwrap(self, wrapped: bytes, case_id: str) -> bytes:
        nonce, body = wrapped[1 : 1 + NONCE_BYTES], wrapped[1 + NONCE_BYTES :]
        try:
            return AESGCM(self._subkey(b"wrap")).decrypt(nonce, body, case_id.encode())
        except InvalidTag:
            raise KeyUnavailable(f"case {case_id}: its data key does not open with this master key") from None

    def blind_index(self, purpose: str, value: str) -> str:
        """A keyed hash for exact lookups; equal inputs give equal digests, nothing else leaks."""
        # A keyed HMAC per purpose, copied per value: setting up the key costs more than hashing
        # a short value, and a list checks one MAC per case.
        templates: dict[str, hmac.HMAC] = self._templates  # type: ignore[attr-defined]
        template = templates.get(purpose)
        if template is None:
            template = templates[purpose] = hmac.new(self._subkey(b"blind/" + purpose.encode()), digestmod=hashlib.sha256)
        mac = template.copy()
        mac.update(value.encode())
        return mac.hexdigest()


def new_data_key() -> bytes:
    return os.urandom(KEY_BYTES)


class Sealer:
    """Seals and opens one case's personal fields under its data key."""

    def __init__(self, data_key: bytes) -> None:
        self._aead = AESGCM(data_key)

    def seal(self, plaintext: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return _VERSION + nonce + self._aead.encrypt(nonce, plaintext, aad)

    def open(self, sealed: bytes, aad: bytes) -> bytes:
        try:
            return self._aead.decrypt(sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :], aad)
        except InvalidTag:
            raise KeyUnavailable("a sealed field does not open: it was altered or moved") from None


def load_master_key(key_file: Path | None) -> MasterKey:
    """The master key from ``POWCASE_MASTER_KEY`` or, failing that, the key file."""
    env = os.environ.get(MASTER_KEY_ENV)
    if env:
        return MasterKey.from_text(env)
    if key_file is None or not key_file.exists():
        raise KeyUnavailable(
            f"no master key: set {MASTER_KEY_ENV} or create a key file with `powcase init` ({key_file})"
        )
    return MasterKey.from_text(key_file.read_text(encoding="ascii"))


def create_key_file(path: Path) -> MasterKey:
    """Write a new master key readable by its owner only; refuse to overwrite one."""
    key = MasterKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InvalidInput(f"{path}: a key file exists already; it would be lost if overwritten") from None
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.to_text() + "\n")
    return key
