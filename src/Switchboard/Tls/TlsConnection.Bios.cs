using System.Runtime.InteropServices;
using Switchboard.Tls.Native;

namespace Switchboard.Tls;

/// <summary>
/// Idle links must cost little native memory; two things keep memory an idle link no longer needs.
/// OpenSSL's record buffers (about 17 KiB each way): SSL_MODE_RELEASE_BUFFERS frees them only after
/// application data moved, so a link that has only handshaken (every link, right after a storm) keeps
/// 33 KiB until its first heartbeat; <c>SSL_free_buffers</c> frees them as soon as nothing is pending.
/// And a memory BIO never gives back its buffer: it keeps the capacity of the largest backlog it ever
/// held (a certificate flight, a burst of frames), so an empty BIO that grew is swapped for a fresh one.
/// </summary>
internal sealed unsafe partial class TlsConnection
{
    /// <summary>Above this, an empty BIO is replaced; heartbeats and small frames never reach it.</summary>
    internal const int IdleBioCapacity = 1024;

    /// <summary>How many times this connection replaced its BIOs (tests read it).</summary>
    internal int BioSwaps { get; private set; }

    /// <summary>Capacity of the buffer behind a memory BIO, from OpenSSL's public <c>BUF_MEM</c>.</summary>
    internal static long Capacity(IntPtr bio)
    {
        IntPtr bufMem;
        LibCrypto.BIO_ctrl(bio, LibCrypto.BioCtrlGetBufMemPtr, 0, (IntPtr)(&bufMem));
        return bufMem == IntPtr.Zero ? 0 : (long)((BufMem*)bufMem)->Max;
    }

    internal long InputCapacity => Capacity(_input);

    internal long OutputCapacity => Capacity(_output);

    private void ReleaseIdleMemory()
    {
        if (_ssl.IsClosed || State != TlsState.Established)
        {
            return;
        }

        // Returns 0 (and frees nothing) while a record is partly read or written: then a later call frees them.
        LibSsl.SSL_free_buffers(_ssl);

        // Only when both are empty: nothing in flight is lost, and OpenSSL keeps no pointer into either.
        if (LibCrypto.BIO_ctrl_pending(_input) != 0 || LibCrypto.BIO_ctrl_pending(_output) != 0)
        {
            return;
        }

        if (Capacity(_input) <= IdleBioCapacity && Capacity(_output) <= IdleBioCapacity)
        {
            return;
        }

        var freshInput = NewMemoryBio();
        var freshOutput = NewMemoryBio();
        LibSsl.SSL_set_bio(_ssl, freshInput, freshOutput); // frees the old pair
        _input = freshInput;
        _output = freshOutput;
        BioSwaps++;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct BufMem
    {
        public nuint Length;
        public IntPtr Data;
        public nuint Max;
        public nuint Flags;
    }
}
