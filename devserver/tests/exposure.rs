//! `lookout-dev` never starts as an unauthenticated proxy of a real cluster reachable from the network.

use std::process::Command;

#[test]
fn a_real_cluster_on_a_network_address_without_strict_refuses_to_start() {
    let out = Command::new(env!("CARGO_BIN_EXE_lookout-dev"))
        .args([
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--kubeconfig",
            "/nonexistent",
            "--open",
        ])
        .output()
        .expect("lookout-dev runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(
            "refusing to proxy a real cluster on --host 0.0.0.0 without credentials: --open admits every caller"
        ),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "nothing was served");
}
