//! The signature scheme against vectors computed by OpenSSL, an implementation independent of
//! ours (`tests/vectors/make-vectors.sh` regenerates `signatures.tsv`). If this fails, the bytes
//! on the wire changed and the other side of the contract will refuse our messages.

use epay_contract::Secrets;

struct Vector {
    secret: String,
    timestamp: String,
    body: String,
    mac: String,
}

fn vectors() -> Vec<Vector> {
    let text = include_str!("vectors/signatures.tsv");
    let vectors: Vec<Vector> = text
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 4, "a vector has four fields: {line}");
            Vector {
                secret: fields[0].to_owned(),
                timestamp: fields[1].to_owned(),
                body: fields[2].to_owned(),
                mac: fields[3].to_owned(),
            }
        })
        .collect();
    assert!(vectors.len() >= 5, "the vectors file is complete");
    vectors
}

#[test]
fn our_signatures_are_the_ones_openssl_computes() {
    for v in vectors() {
        let secrets = Secrets::new([&v.secret]).expect("secret");
        let timestamp: i64 = v.timestamp.parse().expect("timestamp");
        assert_eq!(
            secrets.sign(timestamp, v.body.as_bytes()),
            format!("v1={}", v.mac),
            "secret {:?}, body {:?}",
            v.secret,
            v.body
        );
    }
}

#[test]
fn openssl_signatures_verify_at_their_own_time_and_not_with_one_byte_changed() {
    for v in vectors() {
        let secrets = Secrets::new([&v.secret]).expect("secret");
        let now: i64 = v.timestamp.parse().expect("timestamp");
        let header = format!("v1={}", v.mac);
        assert_eq!(
            secrets.verify(&v.timestamp, v.body.as_bytes(), &header, now),
            Ok(()),
            "{:?}",
            v.body
        );
        let mut changed = v.body.clone().into_bytes();
        changed.push(b' ');
        assert!(
            secrets
                .verify(&v.timestamp, &changed, &header, now)
                .is_err()
        );
    }
}
