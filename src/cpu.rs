//! The CPU check at the start of `main`: on x86-64 the binary is compiled for
//! `target-cpu=haswell` (inari's interval arithmetic needs AVX2/FMA), so on an older CPU it
//! would die of an illegal instruction somewhere. [`require_baseline`] exits with status 2
//! and a clear message instead.
//!
//! The check runs before anything compiled for the baseline: it reads the CPU with the
//! `cpuid` and `xgetbv` instructions directly (`is_x86_feature_detected!` cannot be used
//! here: in a crate compiled with AVX2 enabled it answers `true` at compile time), writes
//! the message with plain byte writes and exits. Its machine code uses no VEX-encoded
//! instruction (checked with `objdump`, see the README's "Minimum CPU").

/// Exits with status 2 and a message naming the missing instruction-set extensions when
/// this CPU (or its operating system) cannot run the binary's baseline code.
#[inline(never)]
pub fn require_baseline() {
    #[cfg(target_arch = "x86_64")]
    x86::require_haswell();
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::asm;
    use std::arch::x86_64::{__cpuid_count, CpuidResult};
    use std::io::Write;

    /// One extension of the baseline: its name, the `cpuid` leaf, the register (0 EBX,
    /// 1 ECX) and the mask of its bit (a constant mask, not a shift by a variable amount:
    /// that compiles to BMI2's `shrx` under `target-cpu=haswell`).
    struct Feature {
        name: &'static str,
        leaf: u32,
        reg: u8,
        mask: u32,
    }

    const fn ecx(name: &'static str, leaf: u32, bit: u32) -> Feature {
        Feature {
            name,
            leaf,
            reg: 1,
            mask: 1 << bit,
        }
    }

    const fn ebx(name: &'static str, leaf: u32, bit: u32) -> Feature {
        Feature {
            name,
            leaf,
            reg: 0,
            mask: 1 << bit,
        }
    }

    /// The extensions `target-cpu=haswell` lets the compiler use (`rustc --print cfg
    /// -C target-cpu=haswell`), beyond x86-64's SSE2, with their `cpuid` bits.
    const HASWELL: [Feature; 18] = [
        ecx("sse3", 1, 0),
        ecx("pclmulqdq", 1, 1),
        ecx("ssse3", 1, 9),
        ecx("fma", 1, 12),
        ecx("cmpxchg16b", 1, 13),
        ecx("sse4.1", 1, 19),
        ecx("sse4.2", 1, 20),
        ecx("movbe", 1, 22),
        ecx("popcnt", 1, 23),
        ecx("xsave", 1, 26),
        ecx("avx", 1, 28),
        ecx("f16c", 1, 29),
        ecx("rdrand", 1, 30),
        ebx("bmi1", 7, 3),
        ebx("avx2", 7, 5),
        ebx("bmi2", 7, 8),
        ecx("lzcnt", 0x8000_0001, 5),
        // `xsaveopt`: leaf 0xD, subleaf 1, EAX bit 0 (checked apart, below).
        ecx("osxsave", 1, 27),
    ];

    /// `cpuid` of `leaf` (subleaf 0), or zeros past the highest leaf of its range.
    fn cpuid(leaf: u32) -> CpuidResult {
        // SAFETY: `cpuid` exists on every x86-64 CPU.
        #[allow(unused_unsafe)]
        let max = unsafe { __cpuid_count(leaf & 0x8000_0000, 0) }.eax;
        if leaf > max {
            return CpuidResult {
                eax: 0,
                ebx: 0,
                ecx: 0,
                edx: 0,
            };
        }
        // SAFETY: as above.
        #[allow(unused_unsafe)]
        unsafe {
            __cpuid_count(leaf, 0)
        }
    }

    /// Whether the OS saves the SSE and AVX registers (XCR0 bits 1 and 2), read with
    /// `xgetbv` (only called when `cpuid` reports OSXSAVE, so the instruction exists).
    fn os_saves_avx() -> bool {
        let (lo, _hi): (u32, u32);
        // SAFETY: `xgetbv` with ECX = 0 reads XCR0; it exists when OSXSAVE is set.
        unsafe {
            asm!("xgetbv", in("ecx") 0u32, out("eax") lo, out("edx") _hi,
                 options(nomem, nostack, preserves_flags));
        }
        lo & 0b110 == 0b110
    }

    /// Writes `bytes` to stderr, ignoring errors (the process exits right after).
    fn say(bytes: &[u8]) {
        let _ = std::io::stderr().write_all(bytes);
    }

    /// Exits with status 2 unless every extension of [`HASWELL`] is present and the OS
    /// supports AVX.
    pub(super) fn require_haswell() {
        let mut missing = false;
        let mut osxsave = false;
        for f in &HASWELL {
            let r = cpuid(f.leaf);
            let word = if f.reg == 0 { r.ebx } else { r.ecx };
            let has = word & f.mask != 0;
            if f.name == "osxsave" {
                osxsave = has;
            } else if !has {
                if !missing {
                    say(HEAD);
                }
                say(b" ");
                say(f.name.as_bytes());
                missing = true;
            }
        }
        if cpuid(0xD).eax != 0 {
            // SAFETY: leaf 0xD exists (checked above).
            #[allow(unused_unsafe)]
            let xsaveopt = unsafe { __cpuid_count(0xD, 1) }.eax & 1 == 1;
            if !xsaveopt {
                if !missing {
                    say(HEAD);
                }
                say(b" xsaveopt");
                missing = true;
            }
        }
        let avx_enabled = osxsave && os_saves_avx();
        if !missing && !avx_enabled {
            say(HEAD);
            say(b" (the operating system does not enable the AVX registers)");
            missing = true;
        }
        if missing {
            say(TAIL);
            std::process::exit(2);
        }
    }

    const HEAD: &[u8] = b"ngd-verify: this CPU cannot run this build. It needs an x86-64 CPU \
        with AVX2 and FMA (Intel Haswell, 2013, or AMD Excavator/Zen, 2015, or later). \
        Missing:";
    const TAIL: &[u8] = b"\n(ngd-verify is built with -C target-cpu=haswell: its interval \
        arithmetic, the inari crate, requires AVX2/FMA.)\n";
}
