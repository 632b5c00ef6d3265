using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Switchboard.Resumption;

/// <summary>
/// Bytes outside the managed heap, zeroed and freed on dispose. The session file is megabytes at thousands of
/// endpoints: as managed arrays its ciphertext and plaintext were large-object allocations, which at a
/// restart's start pushed the collector into a blocking full collection (25–48 ms, in every restart of the
/// storm) and, at each periodic save, would again. Here they cost the collector nothing, and the plaintext's
/// resumption secrets are wiped the moment they have been read or sealed.
/// </summary>
internal sealed unsafe class UnmanagedBuffer : IDisposable
{
    private readonly int _capacity;
    private byte* _bytes;

    public UnmanagedBuffer(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, (long)int.MaxValue);
        Length = _capacity = (int)length;
        _bytes = (byte*)NativeMemory.Alloc((nuint)Math.Max(_capacity, 1));
    }

    public int Length { get; private set; }

    public Span<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_bytes is null, this);
            return new Span<byte>(_bytes, Length);
        }
    }

    /// <summary>Keeps only the first <paramref name="length"/> bytes in view (a file that turned out shorter than it said).</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
    }

    public void Dispose()
    {
        if (_bytes is null)
        {
            return;
        }

        CryptographicOperations.ZeroMemory(new Span<byte>(_bytes, _capacity));
        NativeMemory.Free(_bytes);
        _bytes = null;
    }
}
