using System.Buffers.Binary;
using System.Security.Cryptography;
using Switchboard.Tls;

namespace Switchboard.Resumption;

/// <summary>
/// The server's session-ticket keys: previous, current and next. <see cref="Rotate"/> moves them one step and
/// creates a fresh next; the owner (an actor with a timer) decides when. Keeping the previous key means tickets
/// sealed before a rotation still open; announcing the next one early lets servers sharing the file agree.
/// </summary>
internal sealed class TicketKeyRing
{
    private const byte FormatVersion = 1;
    private const int KeyBytes = TicketKey.NameLength + 2 * TicketKey.SecretLength + sizeof(long);
    private const byte HasPrevious = 1;
    private const byte HasNext = 2;

    private TicketKeyRing(TicketKeySet keys, DateTime rotatedAtUtc)
    {
        Keys = keys;
        RotatedAtUtc = rotatedAtUtc;
    }

    /// <summary>The keys to hand to the TLS context now.</summary>
    public TicketKeySet Keys { get; private set; }

    /// <summary>When <see cref="TicketKeySet.Current"/> became current.</summary>
    public DateTime RotatedAtUtc { get; private set; }

    /// <summary>A new ring with fresh random current and next keys and no previous one.</summary>
    public static TicketKeyRing Create(DateTime nowUtc) =>
        new(new TicketKeySet(null, NewKey(nowUtc), NewKey(nowUtc)), nowUtc);

    public static TicketKey NewKey(DateTime nowUtc) =>
        new(
            RandomNumberGenerator.GetBytes(TicketKey.NameLength),
            RandomNumberGenerator.GetBytes(TicketKey.SecretLength),
            RandomNumberGenerator.GetBytes(TicketKey.SecretLength),
            nowUtc);

    public bool IsRotationDue(DateTime nowUtc, TimeSpan period) => nowUtc - RotatedAtUtc >= period;

    /// <summary>previous ← current ← next ← fresh; returns the new set for the TLS context.</summary>
    public TicketKeySet Rotate(DateTime nowUtc)
    {
        var next = Keys.Next ?? NewKey(nowUtc);
        Keys = new TicketKeySet(Keys.Current, next, NewKey(nowUtc));
        RotatedAtUtc = nowUtc;
        return Keys;
    }

    /// <summary>The keys as bytes for the session file (which checksums, and is readable by its owner only).</summary>
    /// <summary>
    /// Rotates once per period that passed since the last rotation, as if the process had been running: after a
    /// downtime no key becomes current that was generated longer ago than its turn. At most three steps, after
    /// which every key in the ring is new.
    /// </summary>
    public TicketKeySet CatchUp(DateTime nowUtc, TimeSpan period)
    {
        var steps = period <= TimeSpan.Zero ? 0 : Math.Min(3, (nowUtc - RotatedAtUtc).Ticks / period.Ticks);
        for (var i = 0; i < steps; i++)
        {
            Rotate(nowUtc);
        }

        return Keys;
    }

    public byte[] Serialize()
    {
        var keys = Keys;
        var count = 1 + (keys.Previous is null ? 0 : 1) + (keys.Next is null ? 0 : 1);
        var buffer = new byte[2 + sizeof(long) + count * KeyBytes];
        buffer[0] = FormatVersion;
        buffer[1] = (byte)((keys.Previous is null ? 0 : HasPrevious) | (keys.Next is null ? 0 : HasNext));
        BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(2), RotatedAtUtc.Ticks);
        var span = buffer.AsSpan(2 + sizeof(long));
        foreach (var key in new[] { keys.Previous, keys.Current, keys.Next })
        {
            if (key is not null)
            {
                Write(key, span);
                span = span[KeyBytes..];
            }
        }

        return buffer;
    }

    /// <summary>Restores a ring from <see cref="Serialize"/>'s bytes; false with a reason for anything malformed.</summary>
    public static bool TryDeserialize(ReadOnlySpan<byte> data, out TicketKeyRing? ring, out string? error)
    {
        ring = null;
        if (data.Length < 2 + sizeof(long) || data[0] != FormatVersion)
        {
            error = data.Length == 0 ? "ticket keys are empty" : $"ticket keys have an unknown format (version {data[0]})";
            return false;
        }

        var flags = data[1];
        if ((flags & ~(HasPrevious | HasNext)) != 0)
        {
            error = $"ticket keys have unknown flags 0x{flags:x2}";
            return false;
        }

        var count = 1 + ((flags & HasPrevious) != 0 ? 1 : 0) + ((flags & HasNext) != 0 ? 1 : 0);
        if (data.Length != 2 + sizeof(long) + count * KeyBytes)
        {
            error = $"ticket keys are {data.Length} bytes, expected {2 + sizeof(long) + count * KeyBytes} for {count} keys";
            return false;
        }

        var rotatedAt = new DateTime(BinaryPrimitives.ReadInt64LittleEndian(data[2..]), DateTimeKind.Utc);
        var span = data[(2 + sizeof(long))..];
        var previous = (flags & HasPrevious) != 0 ? Read(ref span) : null;
        var current = Read(ref span);
        var next = (flags & HasNext) != 0 ? Read(ref span) : null;
        ring = new TicketKeyRing(new TicketKeySet(previous, current, next), rotatedAt);
        error = null;
        return true;
    }

    private static void Write(TicketKey key, Span<byte> span)
    {
        key.Name.AsSpan().CopyTo(span);
        key.HmacKey.AsSpan().CopyTo(span[TicketKey.NameLength..]);
        key.AesKey.AsSpan().CopyTo(span[(TicketKey.NameLength + TicketKey.SecretLength)..]);
        BinaryPrimitives.WriteInt64LittleEndian(span[(TicketKey.NameLength + 2 * TicketKey.SecretLength)..], key.CreatedUtc.Ticks);
    }

    private static TicketKey Read(ref ReadOnlySpan<byte> span)
    {
        var key = new TicketKey(
            span[..TicketKey.NameLength].ToArray(),
            span.Slice(TicketKey.NameLength, TicketKey.SecretLength).ToArray(),
            span.Slice(TicketKey.NameLength + TicketKey.SecretLength, TicketKey.SecretLength).ToArray(),
            new DateTime(BinaryPrimitives.ReadInt64LittleEndian(span[(TicketKey.NameLength + 2 * TicketKey.SecretLength)..]), DateTimeKind.Utc));
        span = span[KeyBytes..];
        return key;
    }
}
