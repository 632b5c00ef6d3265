using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Resumption;

/// <summary>
/// The session file: client sessions (and, when configured, server ticket keys) across restarts, so a restarted
/// master resumes instead of paying a full handshake per agent. It holds secrets, so it is sealed with
/// AES-256-GCM under a key derived from the master's private key (<see cref="SessionFileKey"/>), written
/// atomically with mode 0600, and trusted only when it is ours, private, regular and its seal holds.
/// </summary>
/// <remarks>
/// Layout, little-endian: a header of magic "SWBSESS\0", u16 version (2), u16 reserved, u64 total length,
/// i64 saved-at ticks and a 12-byte nonce; then the sealed payload (u32 session count, sessions as u16 key
/// length, UTF-8 key, u8 protocol, i64 expiry ticks, i64 chain-start ticks, i64 peer-NotAfter ticks, u8 serial
/// length, peer serial (ASCII hex), u32 DER length, DER; u32 ticket-key length, ticket keys);
/// then the 16-byte GCM tag. The header is the associated data: none of it can change unnoticed either.
/// </remarks>
internal static partial class SessionFile
{
    public const ushort CurrentVersion = 2;

    /// <summary>Far beyond any real cache; a bigger file is not ours and is not read into memory.</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    private const int MagicLength = 8;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int HeaderLength = MagicLength + 2 + 2 + 8 + 8 + NonceLength;
    private const int MaxKeyBytes = ushort.MaxValue;

    private static ReadOnlySpan<byte> Magic => "SWBSESS\0"u8;

    /// <summary>
    /// The file's bytes for <paramref name="contents"/> (sessions already expired at <paramref name="nowUtc"/> left
    /// out), sealed; the caller disposes them. False with the reason when they cannot be encoded.
    /// </summary>
    public static bool TrySeal(string path, SessionFileContents contents, DateTime nowUtc, SessionFileKey key, [NotNullWhen(true)] out UnmanagedBuffer? sealedFile, out string? error)
    {
        try
        {
            sealedFile = Encode(contents, nowUtc, key);
            error = null;
            return true;
        }
        catch (ArgumentException e)
        {
            sealedFile = null;
            error = $"session file {path}: {e.Message}";
            return false;
        }
    }

    /// <summary>
    /// Writes a sealed file to a temporary file beside <paramref name="path"/>, fsyncs it and renames it over the old
    /// one, so a crash leaves either the old file or the new one. False with the reason when it cannot be written.
    /// </summary>
    public static bool TryWrite(string path, ReadOnlySpan<byte> bytes, out string? error)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? ".";
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
            PosixFiles.FsyncDirectory(directory);
            error = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            error = $"session file {path}: cannot write: {e.Message}";
            return false;
        }
    }

    /// <summary>The sealed file, outside the managed heap (see <see cref="UnmanagedBuffer"/>); the caller disposes it.</summary>
    internal static UnmanagedBuffer Encode(SessionFileContents contents, DateTime nowUtc, SessionFileKey key)
    {
        var live = contents.Sessions.Where(s => s.ExpiresAtUtc > nowUtc).ToList();
        var ticketKeys = contents.TicketKeys?.Serialize() ?? [];
        var payloadLength = 4L + 4 + ticketKeys.Length;
        foreach (var session in live)
        {
            var keyBytes = Encoding.UTF8.GetByteCount(session.Key);
            if (keyBytes is 0 or > MaxKeyBytes)
            {
                throw new ArgumentException($"session key '{session.Key}' must be 1 to {MaxKeyBytes} UTF-8 bytes");
            }

            var serialBytes = session.Chain.PeerSerial?.Length ?? 0;
            if (serialBytes > byte.MaxValue || (session.Chain.PeerSerial is { } serial && !serial.All(char.IsAsciiHexDigit)))
            {
                throw new ArgumentException($"session of '{session.Key}' has a peer serial that is not up to 255 hex digits");
            }

            payloadLength += 2 + keyBytes + 1 + 8 + 8 + 8 + 1 + serialBytes + 4 + session.Der.Length;
        }

        var length = HeaderLength + payloadLength + TagLength;
        if (length > MaxFileBytes)
        {
            throw new ArgumentException($"{live.Count} sessions need {length} bytes, more than the {MaxFileBytes} a session file may hold");
        }

        using var payload = new UnmanagedBuffer(payloadLength);
        var file = new UnmanagedBuffer(length);
        try
        {
            var writer = new SpanWriter(payload.Span);
            writer.U32((uint)live.Count);
            foreach (var session in live)
            {
                var name = Encoding.UTF8.GetBytes(session.Key);
                writer.U16((ushort)name.Length);
                writer.Bytes(name);
                writer.U8(session.Protocol);
                writer.I64(session.ExpiresAtUtc.Ticks);
                writer.I64(session.Chain.StartedUtc.Ticks);
                writer.I64(session.Chain.PeerNotAfterUtc.Ticks);
                var serial = Encoding.ASCII.GetBytes(session.Chain.PeerSerial ?? string.Empty);
                writer.U8((byte)serial.Length);
                writer.Bytes(serial);
                writer.U32((uint)session.Der.Length);
                writer.Bytes(session.Der);
            }

            writer.U32((uint)ticketKeys.Length);
            writer.Bytes(ticketKeys);

            var output = file.Span;
            var header = new SpanWriter(output);
            header.Bytes(Magic);
            header.U16(CurrentVersion);
            header.U16(0);
            header.U64((ulong)length);
            header.I64(nowUtc.Ticks);
            var nonce = output.Slice(HeaderLength - NonceLength, NonceLength);
            RandomNumberGenerator.Fill(nonce);
            using var aes = new AesGcm(key.Bytes, TagLength);
            aes.Encrypt(nonce, payload.Span, output.Slice(HeaderLength, payload.Length), output[^TagLength..], output[..HeaderLength]);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only a stray temporary file is left; the real file is untouched.
        }
    }

    private ref struct SpanWriter(Span<byte> span)
    {
        private Span<byte> _rest = span;

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_rest);
            _rest = _rest[bytes.Length..];
        }

        public void U8(byte value)
        {
            _rest[0] = value;
            _rest = _rest[1..];
        }

        public void U16(ushort value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(_rest, value);
            _rest = _rest[2..];
        }

        public void U32(uint value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_rest, value);
            _rest = _rest[4..];
        }

        public void U64(ulong value)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_rest, value);
            _rest = _rest[8..];
        }

        public void I64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_rest, value);
            _rest = _rest[8..];
        }
    }
}
