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
    private byte* _bytes;

    public UnmanagedBuffer(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, (long)int.MaxValue);
        Length = (int)length;
        _bytes = (byte*)NativeMemory.Alloc((nuint)Math.Max(Length, 1));
    }

    public int Length { get; }

    public Span<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_bytes is null, this);
            return new Span<byte>(_bytes, Length);
        }
    }

    public void Dispose()
    {
        if (_bytes is null)
        {
            return;
        }

        CryptographicOperations.ZeroMemory(new Span<byte>(_bytes, Length));
        NativeMemory.Free(_bytes);
        _bytes = null;
    }
}
