//! Bounds-checked access to guest linear memory. A guest pointer is a `u32`; every access
//! is checked, so a wild pointer becomes an error value, never a host panic.

/// An access outside linear memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("guest memory access [{ptr}, +{len}) is out of bounds (memory size {size})")]
pub struct OutOfBounds {
    pub ptr: u32,
    pub len: u64,
    pub size: usize,
}

/// A view of the guest's linear memory for the duration of one host call.
#[derive(Debug)]
pub struct GuestMemory<'a> {
    bytes: &'a mut [u8],
}

impl<'a> GuestMemory<'a> {
    pub fn new(bytes: &'a mut [u8]) -> GuestMemory<'a> {
        GuestMemory { bytes }
    }

    pub fn size(&self) -> usize {
        self.bytes.len()
    }

    pub fn bytes(&self) -> &[u8] {
        self.bytes
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        self.bytes
    }

    fn range(&self, ptr: u32, len: u64) -> Result<std::ops::Range<usize>, OutOfBounds> {
        let oob = OutOfBounds {
            ptr,
            len,
            size: self.bytes.len(),
        };
        let start = ptr as usize;
        let len = usize::try_from(len).map_err(|_| oob)?;
        let end = start.checked_add(len).ok_or(oob)?;
        if end > self.bytes.len() {
            return Err(oob);
        }
        Ok(start..end)
    }

    /// The bytes at `[ptr, ptr + len)`.
    ///
    /// # Errors
    /// [`OutOfBounds`] when any byte of the range is outside memory.
    pub fn read(&self, ptr: u32, len: u32) -> Result<&[u8], OutOfBounds> {
        let range = self.range(ptr, u64::from(len))?;
        Ok(&self.bytes[range])
    }

    /// Mutable bytes at `[ptr, ptr + len)`.
    ///
    /// # Errors
    /// [`OutOfBounds`] when any byte of the range is outside memory.
    pub fn slice_mut(&mut self, ptr: u32, len: u32) -> Result<&mut [u8], OutOfBounds> {
        let range = self.range(ptr, u64::from(len))?;
        Ok(&mut self.bytes[range])
    }

    /// Copies `data` to `ptr`.
    ///
    /// # Errors
    /// [`OutOfBounds`] when the destination does not fit; memory is then unchanged.
    pub fn write(&mut self, ptr: u32, data: &[u8]) -> Result<(), OutOfBounds> {
        let range = self.range(ptr, data.len() as u64)?;
        self.bytes[range].copy_from_slice(data);
        Ok(())
    }

    /// Reads a little-endian `u32`.
    ///
    /// # Errors
    /// [`OutOfBounds`] when the 4 bytes are not all in memory.
    pub fn read_u32(&self, ptr: u32) -> Result<u32, OutOfBounds> {
        let b = self.read(ptr, 4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Writes a little-endian `u32`.
    ///
    /// # Errors
    /// [`OutOfBounds`] when the 4 bytes are not all in memory.
    pub fn write_u32(&mut self, ptr: u32, value: u32) -> Result<(), OutOfBounds> {
        self.write(ptr, &value.to_le_bytes())
    }

    /// Writes a little-endian `u64`.
    ///
    /// # Errors
    /// [`OutOfBounds`] when the 8 bytes are not all in memory.
    pub fn write_u64(&mut self, ptr: u32, value: u64) -> Result<(), OutOfBounds> {
        self.write(ptr, &value.to_le_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_checked_at_every_edge() {
        let mut buf = vec![0u8; 16];
        let mut mem = GuestMemory::new(&mut buf);
        assert!(mem.read(0, 0).is_ok());
        assert!(mem.read(16, 0).is_ok());
        assert!(mem.read(17, 0).is_err());
        assert!(mem.read(12, 4).is_ok());
        assert!(mem.read(13, 4).is_err());
        assert!(mem.read(u32::MAX, 1).is_err());
        assert!(mem.read(1, u32::MAX).is_err());
        assert!(mem.write_u32(12, 7).is_ok());
        assert_eq!(mem.read_u32(12), Ok(7));
        assert!(mem.write_u64(9, 1).is_err());
        assert_eq!(mem.read(8, 8).unwrap(), &[0, 0, 0, 0, 7, 0, 0, 0]);
    }
}
