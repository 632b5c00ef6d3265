using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Resumption;

/// <summary>
/// The session file: client sessions and server ticket keys across restarts, so a restarted master resumes
/// instead of paying a full handshake per agent. It holds secrets (resumption keys), so it is written atomically
/// with mode 0600 and trusted only when it is ours, private, regular and intact.
/// </summary>
/// <remarks>
/// Layout, little-endian: magic "SWBSESS\0", u16 version, u16 reserved, u64 total length (checksum included),
/// i64 saved-at ticks, u32 session count, sessions (u16 key length, UTF-8 key, u8 protocol, i64 expiry ticks,
/// u32 DER length, DER), u32 ticket-key length, ticket keys, then SHA-256 over every byte before it.
/// </remarks>
internal static partial class SessionFile
{
    public const ushort CurrentVersion = 1;

    /// <summary>Far beyond any real cache; a bigger file is not ours and is not read into memory.</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    private const int MagicLength = 8;
    private const int HeaderLength = MagicLength + 2 + 2 + 8 + 8 + 4;
    private const int HashLength = 32;
    private const int MaxKeyBytes = ushort.MaxValue;

    private static ReadOnlySpan<byte> Magic => "SWBSESS\0"u8;

    /// <summary>
    /// Writes <paramref name="contents"/> (sessions already expired at <paramref name="nowUtc"/> left out) to a
    /// temporary file beside <paramref name="path"/>, fsyncs it and renames it over the old one, so a crash leaves
    /// either the old file or the new one. False with the reason when the file cannot be written.
    /// </summary>
    public static bool TrySave(string path, SessionFileContents contents, DateTime nowUtc, out string? error)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(contents);
        byte[] bytes;
        try
        {
            bytes = Encode(contents, nowUtc);
        }
        catch (ArgumentException e)
        {
            error = $"session file {path}: {e.Message}";
            return false;
        }

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

    internal static byte[] Encode(SessionFileContents contents, DateTime nowUtc)
    {
        var live = contents.Sessions.Where(s => s.ExpiresAtUtc > nowUtc).ToList();
        var ticketKeys = contents.TicketKeys?.Serialize() ?? [];
        var length = (long)HeaderLength + 4 + ticketKeys.Length + HashLength;
        foreach (var session in live)
        {
            var keyBytes = Encoding.UTF8.GetByteCount(session.Key);
            if (keyBytes is 0 or > MaxKeyBytes)
            {
                throw new ArgumentException($"session key '{session.Key}' must be 1 to {MaxKeyBytes} UTF-8 bytes");
            }

            length += 2 + keyBytes + 1 + 8 + 4 + session.Der.Length;
        }

        if (length > MaxFileBytes)
        {
            throw new ArgumentException($"{live.Count} sessions need {length} bytes, more than the {MaxFileBytes} a session file may hold");
        }

        var buffer = new byte[length];
        var writer = new SpanWriter(buffer);
        writer.Bytes(Magic);
        writer.U16(CurrentVersion);
        writer.U16(0);
        writer.U64((ulong)length);
        writer.I64(nowUtc.Ticks);
        writer.U32((uint)live.Count);
        foreach (var session in live)
        {
            var key = Encoding.UTF8.GetBytes(session.Key);
            writer.U16((ushort)key.Length);
            writer.Bytes(key);
            writer.U8(session.Protocol);
            writer.I64(session.ExpiresAtUtc.Ticks);
            writer.U32((uint)session.Der.Length);
            writer.Bytes(session.Der);
        }

        writer.U32((uint)ticketKeys.Length);
        writer.Bytes(ticketKeys);
        SHA256.HashData(buffer.AsSpan(0, buffer.Length - HashLength), buffer.AsSpan(buffer.Length - HashLength));
        return buffer;
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
