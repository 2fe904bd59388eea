#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| poa_fuzz::keys(data));
