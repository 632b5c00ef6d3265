using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Switchboard.IO;

/// <summary>
/// A dialed link's socket on an event loop (<c>io.reactor = epoll</c>), kept as the bare descriptor. A .NET
/// <see cref="Socket"/> made non-blocking costs two <c>fcntl</c> calls and a socket, a safe handle and an async
/// context (two of them finalizable) that the event loop never uses; here <c>socket(2)</c> returns it
/// non-blocking and close-on-exec in one call, and reads and writes go straight to <c>recv</c>/<c>send</c>.
/// Accepted links and the <c>dotnet</c> reactor keep .NET's sockets. Linux only, as the reactor is.
/// </summary>
internal static unsafe partial class SocketDescriptor
{
    /// <summary>Keep-alive for every link, dialed or accepted: half-open links (a rebooted agent, a middlebox that forgot us) surface within minutes, not hours.</summary>
    internal const int KeepAliveIdleSeconds = 60;

    internal const int KeepAliveIntervalSeconds = 10;

    internal const int KeepAliveProbes = 3;

    private const int Stream = 1;
    // The same bits as O_NONBLOCK and O_CLOEXEC, so the event loop's epoll set and eventfd use them too.
    internal const int NonBlocking = 0x800;
    internal const int CloseOnExec = 0x80000;
    private const int SolSocket = 1;
    private const int SoError = 4;
    private const int SoKeepAlive = 9;
    private const int IpProtoTcp = 6;
    private const int TcpNoDelay = 1;
    private const int TcpKeepIdle = 4;
    private const int TcpKeepInterval = 5;
    private const int TcpKeepCount = 6;
    // A peer gone while we write must fail the write, not raise SIGPIPE.
    private const int NoSignal = 0x4000;
    private const int EInterrupted = 4;

    /// <summary>A new non-blocking TCP socket with the options every link has.</summary>
    /// <exception cref="SocketException">The kernel refused the socket or an option (out of descriptors, for one).</exception>
    public static int Open(AddressFamily family, bool keepAlive)
    {
        var fd = NewSocket(family == AddressFamily.InterNetworkV6 ? 10 : 2, Stream | NonBlocking | CloseOnExec, 0);
        if (fd < 0)
        {
            throw new SocketException((int)FromErrno(Marshal.GetLastPInvokeError()));
        }

        var set = SetOption(fd, IpProtoTcp, TcpNoDelay, 1)
            && (!keepAlive
                || (SetOption(fd, SolSocket, SoKeepAlive, 1)
                    && SetOption(fd, IpProtoTcp, TcpKeepIdle, KeepAliveIdleSeconds)
                    && SetOption(fd, IpProtoTcp, TcpKeepInterval, KeepAliveIntervalSeconds)
                    && SetOption(fd, IpProtoTcp, TcpKeepCount, KeepAliveProbes)));
        if (!set)
        {
            var error = FromErrno(Marshal.GetLastPInvokeError());
            Close(fd);
            throw new SocketException((int)error);
        }

        return fd;
    }

    /// <summary>A non-blocking read: 0 bytes with Success is the peer's end of stream.</summary>
    public static SocketError Receive(int fd, Span<byte> buffer, out int received)
    {
        fixed (byte* p = buffer)
        {
            nint n;
            do
            {
                n = Recv(fd, p, buffer.Length, 0);
            }
            while (n < 0 && Marshal.GetLastPInvokeError() == EInterrupted);

            received = (int)Math.Max(n, 0);
            return n >= 0 ? SocketError.Success : FromErrno(Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>A non-blocking write of what the kernel takes now; WouldBlock when it takes nothing.</summary>
    public static SocketError Send(int fd, ReadOnlySpan<byte> data, out int sent)
    {
        fixed (byte* p = data)
        {
            nint n;
            do
            {
                n = SendTo(fd, p, data.Length, NoSignal);
            }
            while (n < 0 && Marshal.GetLastPInvokeError() == EInterrupted);

            sent = (int)Math.Max(n, 0);
            return n >= 0 ? SocketError.Success : FromErrno(Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>The error a failed non-blocking connect left on the socket (SO_ERROR), as a SocketError.</summary>
    public static SocketError PendingError(int fd)
    {
        int error;
        var length = sizeof(int);
        return GetOption(fd, SolSocket, SoError, &error, &length) != 0 ? FromErrno(Marshal.GetLastPInvokeError())
            : error == 0 ? SocketError.Success
            : FromErrno(error);
    }

    public static void Close(int fd) => _ = CloseDescriptor(fd);

    /// <summary>Linux's errno as the SocketError .NET would report for it, so failures read the same on either reactor.</summary>
    public static SocketError FromErrno(int errno) => errno switch
    {
        11 => SocketError.WouldBlock,
        115 => SocketError.WouldBlock, // EINPROGRESS: a connect under way
        111 => SocketError.ConnectionRefused,
        101 => SocketError.NetworkUnreachable,
        100 => SocketError.NetworkDown,
        113 => SocketError.HostUnreachable,
        112 => SocketError.HostDown,
        110 => SocketError.TimedOut,
        99 => SocketError.AddressNotAvailable,
        98 => SocketError.AddressAlreadyInUse,
        104 => SocketError.ConnectionReset,
        103 => SocketError.ConnectionAborted,
        107 => SocketError.NotConnected,
        32 => SocketError.Shutdown, // EPIPE
        24 or 23 => SocketError.TooManyOpenSockets,
        105 or 12 => SocketError.NoBufferSpaceAvailable,
        13 or 1 => SocketError.AccessDenied,
        97 => SocketError.AddressFamilyNotSupported,
        _ => SocketError.SocketError,
    };

    private static bool SetOption(int fd, int level, int name, int value) => SetSocketOption(fd, level, name, &value, sizeof(int)) == 0;

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int NewSocket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetSocketOption(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    private static partial int GetOption(int fd, int level, int name, void* value, int* length);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint SendTo(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseDescriptor(int fd);
}
