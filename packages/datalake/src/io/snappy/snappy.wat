;; Snappy block decompression (the format of Parquet's SNAPPY pages), written for om-ingest from the
;; format description: a varint of the uncompressed length, then elements whose tag's low two bits
;; say what follows: 00 a literal (length in the tag, or in 1-4 following bytes), 01 a copy with a
;; 3-bit length and an 11-bit offset, 10 a copy with a 6-bit length and a 2-byte offset, 11 a copy
;; with a 6-bit length and a 4-byte offset. A copy may overlap its own output (offset < length),
;; which repeats a pattern; it is then copied forward byte by byte.
;;
;; uncompress(src, srcLen, dst, dstLen) decodes memory[src, src + srcLen) into memory[dst, dst +
;; dstLen) and returns 0, or a negative code (16 bytes after dstLen must be writable: short moves
;; write whole 8-byte words; nothing after src + srcLen is written): -1 bad length header, -2 the header's length is not
;; dstLen, -3 input ends inside an element, -4 output overflows, -5 copy offset out of range,
;; -6 input ends before the output is full.
(module
  (memory (export "memory") 1)
  (func (export "uncompress") (param $src i32) (param $srcLen i32) (param $dst i32) (param $dstLen i32) (result i32)
    (local $ip i32) (local $ipEnd i32) (local $op i32) (local $opEnd i32)
    (local $tag i32) (local $len i32) (local $off i32) (local $n i32) (local $shift i32) (local $b i32) (local $from i32)
    (local.set $ip (local.get $src))
    (local.set $ipEnd (i32.add (local.get $src) (local.get $srcLen)))
    (local.set $op (local.get $dst))
    (local.set $opEnd (i32.add (local.get $dst) (local.get $dstLen)))
    ;; the uncompressed length (varint, at most 5 bytes)
    (block $header
      (loop $varint
        (if (i32.ge_u (local.get $ip) (local.get $ipEnd)) (then (return (i32.const -1))))
        (if (i32.gt_u (local.get $shift) (i32.const 28)) (then (return (i32.const -1))))
        (local.set $b (i32.load8_u (local.get $ip)))
        (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
        (local.set $n (i32.or (local.get $n) (i32.shl (i32.and (local.get $b) (i32.const 0x7f)) (local.get $shift))))
        (local.set $shift (i32.add (local.get $shift) (i32.const 7)))
        (br_if $varint (i32.and (local.get $b) (i32.const 0x80)))))
    (if (i32.ne (local.get $n) (local.get $dstLen)) (then (return (i32.const -2))))
    (block $done
      (loop $element
        (br_if $done (i32.ge_u (local.get $ip) (local.get $ipEnd)))
        (local.set $tag (i32.load8_u (local.get $ip)))
        (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
        (if (i32.eqz (i32.and (local.get $tag) (i32.const 3)))
          (then
            ;; literal
            (local.set $len (i32.shr_u (local.get $tag) (i32.const 2)))
            (if (i32.ge_u (local.get $len) (i32.const 60))
              (then
                ;; the length - 1 in (len - 59) little-endian bytes
                (local.set $n (i32.sub (local.get $len) (i32.const 59)))
                (if (i32.gt_u (i32.add (local.get $ip) (local.get $n)) (local.get $ipEnd)) (then (return (i32.const -3))))
                (local.set $len (i32.const 0))
                (local.set $shift (i32.const 0))
                (loop $bytes
                  (local.set $len (i32.or (local.get $len) (i32.shl (i32.load8_u (local.get $ip)) (local.get $shift))))
                  (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
                  (local.set $shift (i32.add (local.get $shift) (i32.const 8)))
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (br_if $bytes (local.get $n)))))
            (local.set $len (i32.add (local.get $len) (i32.const 1)))
            (if (i32.gt_u (local.get $len) (i32.sub (local.get $ipEnd) (local.get $ip))) (then (return (i32.const -3))))
            (if (i32.gt_u (local.get $len) (i32.sub (local.get $opEnd) (local.get $op))) (then (return (i32.const -4))))
            (if (i32.and (i32.le_u (local.get $len) (i32.const 16)) (i32.le_u (i32.add (local.get $ip) (i32.const 16)) (local.get $ipEnd)))
              (then
                ;; a short literal: 16 bytes in two 8-byte moves (the bytes past it are overwritten later)
                (i64.store (local.get $op) (i64.load (local.get $ip)))
                (i64.store offset=8 (local.get $op) (i64.load offset=8 (local.get $ip))))
              (else (memory.copy (local.get $op) (local.get $ip) (local.get $len))))
            (local.set $ip (i32.add (local.get $ip) (local.get $len)))
            (local.set $op (i32.add (local.get $op) (local.get $len)))
            (br $element)))
        ;; copies
        (if (i32.eq (i32.and (local.get $tag) (i32.const 3)) (i32.const 1))
          (then
            (if (i32.ge_u (local.get $ip) (local.get $ipEnd)) (then (return (i32.const -3))))
            (local.set $len (i32.add (i32.and (i32.shr_u (local.get $tag) (i32.const 2)) (i32.const 7)) (i32.const 4)))
            (local.set $off (i32.or (i32.shl (i32.shr_u (local.get $tag) (i32.const 5)) (i32.const 8)) (i32.load8_u (local.get $ip))))
            (local.set $ip (i32.add (local.get $ip) (i32.const 1))))
          (else
            (local.set $len (i32.add (i32.shr_u (local.get $tag) (i32.const 2)) (i32.const 1)))
            (if (i32.eq (i32.and (local.get $tag) (i32.const 3)) (i32.const 2))
              (then
                (if (i32.gt_u (i32.add (local.get $ip) (i32.const 2)) (local.get $ipEnd)) (then (return (i32.const -3))))
                (local.set $off (i32.load16_u (local.get $ip)))
                (local.set $ip (i32.add (local.get $ip) (i32.const 2))))
              (else
                (if (i32.gt_u (i32.add (local.get $ip) (i32.const 4)) (local.get $ipEnd)) (then (return (i32.const -3))))
                (local.set $off (i32.load (local.get $ip)))
                (local.set $ip (i32.add (local.get $ip) (i32.const 4)))))))
        (if (i32.or (i32.eqz (local.get $off)) (i32.gt_u (local.get $off) (i32.sub (local.get $op) (local.get $dst)))) (then (return (i32.const -5))))
        (if (i32.gt_u (local.get $len) (i32.sub (local.get $opEnd) (local.get $op))) (then (return (i32.const -4))))
        (local.set $from (i32.sub (local.get $op) (local.get $off)))
        (local.set $n (i32.add (local.get $op) (local.get $len)))
        (if (i32.ge_u (local.get $off) (i32.const 8))
          (then
            ;; 8 bytes at a time, forward: right even when the copy overlaps its output (offset >= 8),
            ;; and past its end by up to 7 bytes (overwritten later; the caller leaves room after dstLen)
            (loop $words
              (i64.store (local.get $op) (i64.load (local.get $from)))
              (local.set $op (i32.add (local.get $op) (i32.const 8)))
              (local.set $from (i32.add (local.get $from) (i32.const 8)))
              (br_if $words (i32.lt_u (local.get $op) (local.get $n))))
            (local.set $op (local.get $n)))
          (else
            ;; a short pattern repeating: byte by byte
            (loop $repeat
              (i32.store8 (local.get $op) (i32.load8_u (local.get $from)))
              (local.set $op (i32.add (local.get $op) (i32.const 1)))
              (local.set $from (i32.add (local.get $from) (i32.const 1)))
              (br_if $repeat (i32.lt_u (local.get $op) (local.get $n))))))
        (br $element)))
    (if (i32.ne (local.get $op) (local.get $opEnd)) (then (return (i32.const -6))))
    (i32.const 0)))
