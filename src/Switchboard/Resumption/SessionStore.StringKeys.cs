using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Switchboard.Resumption;

/// <summary>String keys (endpoint names on the client side), stored as their UTF-8 bytes.</summary>
internal sealed partial class SessionStore<TValue>
{
    private const int StackKeyBytes = 256;

    public bool Put(string key, TValue value, int sizeBytes, DateTime expiresAtUtc)
    {
        var rented = Encode(key, stackalloc byte[StackKeyBytes], out var bytes);
        try
        {
            return Put(bytes, value, sizeBytes, expiresAtUtc);
        }
        finally
        {
            Return(rented);
        }
    }

    public bool Add(string key, TValue value, int sizeBytes, DateTime expiresAtUtc)
    {
        var rented = Encode(key, stackalloc byte[StackKeyBytes], out var bytes);
        try
        {
            return Add(bytes, value, sizeBytes, expiresAtUtc);
        }
        finally
        {
            Return(rented);
        }
    }

    public bool TryGet(string key, [MaybeNullWhen(false)] out TValue value)
    {
        var rented = Encode(key, stackalloc byte[StackKeyBytes], out var bytes);
        try
        {
            return TryGet(bytes, out value);
        }
        finally
        {
            Return(rented);
        }
    }

    public bool TryTake(string key, [MaybeNullWhen(false)] out TValue value)
    {
        var rented = Encode(key, stackalloc byte[StackKeyBytes], out var bytes);
        try
        {
            return TryTake(bytes, out value);
        }
        finally
        {
            Return(rented);
        }
    }

    public bool Holds(string key)
    {
        var rented = Encode(key, stackalloc byte[StackKeyBytes], out var bytes);
        try
        {
            return Holds(bytes);
        }
        finally
        {
            Return(rented);
        }
    }

    public int Remove(string key)
    {
        var rented = Encode(key, stackalloc byte[StackKeyBytes], out var bytes);
        try
        {
            return Remove(bytes);
        }
        finally
        {
            Return(rented);
        }
    }

    /// <summary>The bytes a string key is stored as (and the length to count in <see cref="EntrySize"/>).</summary>
    public static int KeyLength(string key) => Encoding.UTF8.GetByteCount(key);

    private static byte[]? Encode(string key, Span<byte> stack, out ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(key);
        var length = Encoding.UTF8.GetByteCount(key);
        byte[]? rented = null;
        var buffer = length <= stack.Length ? stack : (rented = ArrayPool<byte>.Shared.Rent(length));
        var written = Encoding.UTF8.GetBytes(key, buffer);
        bytes = buffer[..written];
        return rented;
    }

    private static void Return(byte[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
