using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Akka.Actor;

namespace Switchboard.IO;

/// <summary>
/// One IO actor's socket reactor: an edge-triggered epoll set watched by a thread of its own, which tells
/// the IO actor what became ready in one message per wake-up. It replaces .NET's socket engine for the
/// actor's links, where each readiness took two thread hops (the engine's epoll thread, then a pool
/// worker running the completion) and a zero-byte receive re-armed for every read. Registered once per
/// socket with the link's id as the key, so an event for a link already gone is recognised and dropped
/// even when its descriptor number has been reused. Linux on x86-64 only (the layout of epoll_event).
/// </summary>
internal sealed unsafe partial class SocketReactor : IDisposable
{
    internal const uint In = 0x001;
    internal const uint Out = 0x004;
    internal const uint Err = 0x008;
    internal const uint Hup = 0x010;
    internal const uint RdHup = 0x2000;
    private const uint EdgeTriggered = 1u << 31;
    private const int CtlAdd = 1;
    private const int MaxEvents = 256;
    private const int EInProgress = 115;
    private const int EIntr = 4;
    private const ulong WakeKey = ulong.MaxValue;

    private readonly int _epoll;
    private readonly int _wake;
    private readonly IActorRef _io;
    private volatile bool _stopping;

    private SocketReactor(int epoll, int wake, IActorRef io, string name)
    {
        _epoll = epoll;
        _wake = wake;
        _io = io;
        new Thread(Run) { IsBackground = true, Name = name }.Start();
    }

    /// <summary>Whether this platform can run one (otherwise the IO actor stays on .NET's socket engine).</summary>
    public static bool Supported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>A reactor telling <paramref name="io"/>; null when epoll cannot be set up.</summary>
    public static SocketReactor? Start(IActorRef io, string name)
    {
        if (!Supported)
        {
            return null;
        }

        var epoll = EpollCreate1(0x80000);
        if (epoll < 0)
        {
            return null;
        }

        var wake = EventFd(0, 0x80000);
        var registration = new EpollEvent { Events = In, Data = WakeKey };
        if (wake < 0 || EpollCtl(epoll, CtlAdd, wake, &registration) != 0)
        {
            Close(epoll);
            return null;
        }

        return new SocketReactor(epoll, wake, io, name);
    }

    /// <summary>Watches <paramref name="socket"/> for <paramref name="linkId"/>; it must be non-blocking.</summary>
    public SocketError Register(Socket socket, long linkId)
    {
        var registration = new EpollEvent { Events = In | Out | RdHup | EdgeTriggered, Data = (ulong)linkId };
        return EpollCtl(_epoll, CtlAdd, (int)socket.Handle, &registration) == 0 ? SocketError.Success : Error(Marshal.GetLastPInvokeError());
    }

    /// <summary>Starts a non-blocking connect: Success when done at once, WouldBlock when the reactor will report it.</summary>
    public static SocketError BeginConnect(Socket socket, IPEndPoint address)
    {
        Span<byte> sockaddr = stackalloc byte[28];
        sockaddr.Clear();
        var port = (ushort)address.Port;
        sockaddr[2] = (byte)(port >> 8);
        sockaddr[3] = (byte)port;
        int length;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            sockaddr[0] = 2;
            address.Address.TryWriteBytes(sockaddr[4..8], out _);
            length = 16;
        }
        else
        {
            sockaddr[0] = 10;
            address.Address.TryWriteBytes(sockaddr[8..24], out _);
            MemoryMarshal.Write(sockaddr[24..28], (uint)address.Address.ScopeId);
            length = 28;
        }

        fixed (byte* p = sockaddr)
        {
            if (Connect((int)socket.Handle, p, length) == 0)
            {
                return SocketError.Success;
            }
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == EInProgress ? SocketError.WouldBlock : Error(errno);
    }

    /// <summary>The outcome of a connect the reactor reported (SO_ERROR).</summary>
    public static SocketError ConnectResult(Socket socket)
    {
        int value = 0;
        var size = sizeof(int);
        if (GetSockOpt((int)socket.Handle, 1, 4, &value, &size) != 0)
        {
            return Error(Marshal.GetLastPInvokeError());
        }

        return value == 0 ? SocketError.Success : Error(value);
    }

    public void Dispose()
    {
        _stopping = true;
        ulong one = 1;
        _ = Write(_wake, &one, sizeof(ulong));
    }

    private void Run()
    {
        var events = stackalloc EpollEvent[MaxEvents];
        while (!_stopping)
        {
            var n = EpollWait(_epoll, events, MaxEvents, -1);
            if (n < 0)
            {
                if (Marshal.GetLastPInvokeError() == EIntr)
                {
                    continue;
                }

                break;
            }

            var links = new long[n];
            var masks = new uint[n];
            var count = 0;
            for (var i = 0; i < n; i++)
            {
                if (events[i].Data == WakeKey)
                {
                    continue;
                }

                links[count] = (long)events[i].Data;
                masks[count] = events[i].Events;
                count++;
            }

            if (count > 0 && !_stopping)
            {
                _io.Tell(new IoActor.SocketEvents(links, masks, count), ActorRefs.NoSender);
            }
        }

        Close(_epoll);
        Close(_wake);
    }

    private static SocketError Error(int errno) => errno switch
    {
        111 => SocketError.ConnectionRefused,
        101 => SocketError.NetworkUnreachable,
        113 => SocketError.HostUnreachable,
        110 => SocketError.TimedOut,
        99 => SocketError.AddressNotAvailable,
        104 => SocketError.ConnectionReset,
        103 => SocketError.ConnectionAborted,
        32 => SocketError.Shutdown,
        _ => SocketError.SocketError,
    };

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollCtl(int epoll, int op, int fd, EpollEvent* registration);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int EpollWait(int epoll, EpollEvent* events, int max, int timeout);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static partial int Connect(int fd, byte* address, int length);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    private static partial int GetSockOpt(int fd, int level, int name, int* value, int* length);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, void* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
