using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Resumption;

/// <summary>Loading: every check passes or the whole file is ignored with a warning that says why.</summary>
internal static partial class SessionFile
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads the session file. A missing file gives empty contents and no warning. A file that is not a private,
    /// regular file owned by us, or that is truncated, corrupted, tampered with or from another version, gives
    /// empty contents and a warning; never partial data, never an exception. Expired sessions are dropped.
    /// </summary>
    public static SessionFileLoad Load(string path, DateTime nowUtc, SessionFileKey key) => Load(path, nowUtc, key, PosixFiles.EffectiveUserId());

    /// <summary>As <see cref="Load(string, DateTime, SessionFileKey)"/> with the owner to expect given (tests cannot chown).</summary>
    internal static SessionFileLoad Load(string path, DateTime nowUtc, SessionFileKey key, uint expectedOwnerUid)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            if (!PosixFiles.TryLStat(path, out var facts, out var missing, out var statError))
            {
                return missing ? new SessionFileLoad(SessionFileContents.Empty, [], 0) : Ignore(path, $"cannot be inspected: {statError}");
            }

            if (Distrust(facts, expectedOwnerUid) is { } unsafeBecause)
            {
                return Ignore(path, unsafeBecause);
            }

            UnmanagedBuffer bytes;
            int filled;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                // Judge what was opened, not just the path: it may have been swapped in between.
                if (!PosixFiles.TryFStat(stream.SafeFileHandle, out var opened, out statError))
                {
                    return Ignore(path, $"cannot be inspected once opened: {statError}");
                }

                if (!opened.IsSameFileAs(facts))
                {
                    return Ignore(path, "was replaced while being opened");
                }

                if (Distrust(opened, expectedOwnerUid) is { } openedUnsafe)
                {
                    return Ignore(path, openedUnsafe);
                }

                bytes = ReadAll(stream, opened.Size, out filled);
            }

            using (bytes)
            {
                // Shorter than reported: the file changed while being read, and its seal will say so.
                if (Decode(bytes.Span[..filled], nowUtc, key, out var contents, out var expired) is { } malformed)
                {
                    return Ignore(path, malformed);
                }

                return new SessionFileLoad(contents, [], expired);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Ignore(path, $"cannot be read: {e.Message}");
        }
    }

    /// <summary>Why a file with these facts must not be trusted, or null.</summary>
    private static string? Distrust(FileFacts facts, uint expectedOwnerUid)
    {
        if (facts.IsSymlink)
        {
            return "is a symbolic link; a session file must be a regular file (not following it)";
        }

        if (!facts.IsRegularFile)
        {
            return $"is not a regular file (mode {Convert.ToString(facts.Mode, 8)})";
        }

        if (facts.OwnerUid != expectedOwnerUid)
        {
            return $"is owned by uid {facts.OwnerUid}, not by us (uid {expectedOwnerUid})";
        }

        if (facts.IsGroupOrOtherAccessible)
        {
            return $"is accessible by group or others (mode {Convert.ToString(facts.Permissions, 8).PadLeft(4, '0')}); "
                + "it holds resumption secrets and must be 0600";
        }

        if (facts.Size > MaxFileBytes)
        {
            return $"is larger than {MaxFileBytes} bytes, far beyond any session cache";
        }

        return null;
    }

    /// <summary>
    /// The file in one buffer of the size the opened file reported (already judged to be at most
    /// <see cref="MaxFileBytes"/>), outside the managed heap (see <see cref="UnmanagedBuffer"/>).
    /// </summary>
    private static UnmanagedBuffer ReadAll(FileStream stream, long size, out int filled)
    {
        var bytes = new UnmanagedBuffer(size);
        try
        {
            filled = stream.ReadAtLeast(bytes.Span, bytes.Length, throwOnEndOfStream: false);
            return bytes;
        }
        catch
        {
            bytes.Dispose();
            throw;
        }
    }

    private static SessionFileLoad Ignore(string path, string reason) =>
        new(SessionFileContents.Empty, [$"ignoring session file {path}: it {reason}"], 0);

    /// <summary>Validates the whole file before building anything from it; returns why it is unusable, or null.</summary>
    internal static string? Decode(ReadOnlySpan<byte> file, DateTime nowUtc, SessionFileKey key, out SessionFileContents contents, out int expiredDropped)
    {
        contents = SessionFileContents.Empty;
        expiredDropped = 0;
        var magicSeen = Math.Min(file.Length, MagicLength);
        if (!file[..magicSeen].SequenceEqual(Magic[..magicSeen]) || file.Length == 0)
        {
            return file.Length == 0 ? "is empty (truncated)" : "is not a Switchboard session file (bad magic)";
        }

        if (file.Length < MagicLength + 2)
        {
            return $"is truncated: {file.Length} bytes, shorter than its header";
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(file[MagicLength..]);
        if (version > CurrentVersion)
        {
            return $"was written by a newer Switchboard (format version {version}; this one reads version {CurrentVersion})";
        }

        if (version != CurrentVersion)
        {
            return $"has format version {version}, which was not sealed; this Switchboard reads only sealed files (version {CurrentVersion}), so the next save replaces it";
        }

        if (file.Length < HeaderLength)
        {
            return $"is truncated: {file.Length} bytes, shorter than its {HeaderLength}-byte header";
        }

        var declared = BinaryPrimitives.ReadUInt64LittleEndian(file[(MagicLength + 4)..]);
        if ((ulong)file.Length < declared)
        {
            return $"is truncated: {file.Length} of {declared} bytes";
        }

        if ((ulong)file.Length > declared || declared < HeaderLength + 8 + TagLength)
        {
            return $"is corrupted: {file.Length} bytes where its header says {declared}";
        }

        using var payload = new UnmanagedBuffer(file.Length - HeaderLength - TagLength);
        try
        {
            using var aes = new AesGcm(key.Bytes, TagLength);
            aes.Decrypt(file.Slice(HeaderLength - NonceLength, NonceLength), file[HeaderLength..^TagLength], file[^TagLength..], payload.Span, file[..HeaderLength]);
        }
        catch (AuthenticationTagMismatchException)
        {
            return "fails its seal: it was written under another private key (another master, or before this one's key was renewed), or changed by someone else";
        }

        return DecodePayload(payload.Span, nowUtc, ref contents, ref expiredDropped);
    }

    private static string? DecodePayload(ReadOnlySpan<byte> payload, DateTime nowUtc, ref SessionFileContents contents, ref int expiredDropped)
    {
        var reader = new SpanReader(payload);
        if (!reader.U32(out var count))
        {
            return "is malformed: no session count";
        }

        var sessions = new List<PersistedSession>((int)Math.Min(count, 4096));
        var expired = 0;
        for (var i = 0u; i < count; i++)
        {
            if (!reader.U16(out var keyLength) || !reader.Bytes(keyLength, out var key)
                || !reader.U8(out var protocol) || !reader.I64(out var expiresTicks)
                || !reader.I64(out var chainTicks) || !reader.I64(out var notAfterTicks)
                || !reader.U8(out var serialLength) || !reader.Bytes(serialLength, out var serial)
                || !reader.U32(out var derLength) || !reader.Bytes(derLength, out var der))
            {
                return $"is malformed: session {i} of {count} runs past the end";
            }

            if (keyLength == 0 || derLength == 0 || !IsTime(expiresTicks) || !IsTime(chainTicks) || !IsTime(notAfterTicks))
            {
                return $"is malformed: session {i} has an empty key, an empty session or an impossible expiry";
            }

            string name;
            try
            {
                name = StrictUtf8.GetString(key);
            }
            catch (DecoderFallbackException)
            {
                return $"is malformed: session {i} has a key that is not UTF-8";
            }

            var expiresAt = new DateTime(expiresTicks, DateTimeKind.Utc);
            if (expiresAt <= nowUtc)
            {
                expired++;
                continue;
            }

            var serialText = Encoding.ASCII.GetString(serial);
            if (!serialText.All(char.IsAsciiHexDigit))
            {
                return $"is malformed: session {i} has a peer serial that is not hex";
            }

            var chain = new SessionChain(new DateTime(chainTicks, DateTimeKind.Utc), new DateTime(notAfterTicks, DateTimeKind.Utc), serialText.Length == 0 ? null : serialText);
            sessions.Add(new PersistedSession(name, der.ToArray(), expiresAt, protocol, chain));
        }

        if (!reader.U32(out var keysLength) || !reader.Bytes(keysLength, out var keyBytes))
        {
            return "is malformed: the ticket keys run past the end";
        }

        if (!reader.AtEnd)
        {
            return "is malformed: unexpected bytes after the ticket keys";
        }

        TicketKeyRing? ring = null;
        if (keysLength > 0 && !TicketKeyRing.TryDeserialize(keyBytes, out ring, out var keysError))
        {
            return $"is malformed: {keysError}";
        }

        contents = new SessionFileContents(sessions, ring);
        expiredDropped = expired;
        return null;
    }

    private static bool IsTime(long ticks) => ticks >= DateTime.MinValue.Ticks && ticks <= DateTime.MaxValue.Ticks;

    private ref struct SpanReader(ReadOnlySpan<byte> span)
    {
        private ReadOnlySpan<byte> _rest = span;

        public readonly bool AtEnd => _rest.IsEmpty;

        public bool Bytes(uint length, out ReadOnlySpan<byte> bytes)
        {
            if ((uint)_rest.Length < length)
            {
                bytes = default;
                return false;
            }

            bytes = _rest[..(int)length];
            _rest = _rest[(int)length..];
            return true;
        }

        public bool U8(out byte value)
        {
            value = _rest.IsEmpty ? (byte)0 : _rest[0];
            return Advance(1);
        }

        public bool U16(out ushort value)
        {
            value = _rest.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(_rest) : (ushort)0;
            return Advance(2);
        }

        public bool U32(out uint value)
        {
            value = _rest.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(_rest) : 0;
            return Advance(4);
        }

        public bool I64(out long value)
        {
            value = _rest.Length >= 8 ? BinaryPrimitives.ReadInt64LittleEndian(_rest) : 0;
            return Advance(8);
        }

        private bool Advance(int count)
        {
            if (_rest.Length < count)
            {
                return false;
            }

            _rest = _rest[count..];
            return true;
        }
    }
}
