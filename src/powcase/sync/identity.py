"""An office's own keys: Ed25519 to sign what it sends, X25519 to open what is sent to it.

Each office makes its own pair; only public halves travel (in an enrolment request and in the
enrolment package), so no office ever holds another's private key, and a field office never
holds headquarters' master key. The private halves are kept in the database wrapped by the
store's master key: a stolen database without the key file cannot sign or open bundles.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from powcase.store.crypto import MasterKey

# What the master key's wrap binds each private key to, in place of a case id.
SIGNING_LABEL = "sync-identity/ed25519"
AGREEMENT_LABEL = "sync-identity/x25519"
HQ = "hq"
FIELD = "field"
# Acts only headquarters makes: an override of a bar and an erasure (each by two of its own
# accounts), and a legal officer's resolution of a conflict or decision on a man registered twice.
# A field office's laptop is in one person's hands (its database, its master key file, its signing
# key): what it signs proves one person, so none is made there nor accepted from there.
MADE_AT_HEADQUARTERS = {"override_granted": "an override", "erased": "an erasure",
                        "conflict_resolved": "a resolution of a conflict",
                        "duplicate_decided": "a decision on a man registered twice"}


def _raw_private(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def public_hex(key: Ed25519PublicKey | X25519PublicKey) -> str:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def fingerprint(signing_public: str, agreement_public: str) -> str:
    """What two people read to each other over a telephone to know the keys are the right ones."""
    digest = hashlib.sha256(f"powcase-office|{signing_public}|{agreement_public}".encode()).hexdigest()[:24]
    return "-".join(digest[i : i + 4] for i in range(0, 24, 4))


@dataclass(frozen=True)
class OfficeIdentity:
    name: str
    role: str
    signing: Ed25519PrivateKey
    agreement: X25519PrivateKey

    def __repr__(self) -> str:  # never print key material
        return f"OfficeIdentity({self.name}, {self.role})"

    @classmethod
    def generate(cls, name: str, role: str) -> OfficeIdentity:
        return cls(name, role, Ed25519PrivateKey.generate(), X25519PrivateKey.generate())

    @property
    def signing_public(self) -> str:
        return public_hex(self.signing.public_key())

    @property
    def agreement_public(self) -> str:
        return public_hex(self.agreement.public_key())

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_public, self.agreement_public)

    def wrapped(self, master_key: MasterKey) -> tuple[bytes, bytes]:
        return (master_key.wrap(_raw_private(self.signing), SIGNING_LABEL),
                master_key.wrap(_raw_private(self.agreement), AGREEMENT_LABEL))

    @classmethod
    def unwrapped(cls, name: str, role: str, signing: bytes, agreement: bytes, master_key: MasterKey) -> OfficeIdentity:
        return cls(
            name, role,
            Ed25519PrivateKey.from_private_bytes(master_key.unwrap(signing, SIGNING_LABEL)),
            X25519PrivateKey.from_private_bytes(master_key.unwrap(agreement, AGREEMENT_LABEL)),
        )
