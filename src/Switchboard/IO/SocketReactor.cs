using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Akka.Actor;

namespace Switchboard.IO;

/// <summary>
/// The epoll set of one IO thread (<see cref="EventLoopExecutor"/>): its IO actors' sockets, registered
/// once each, edge-triggered, and an eventfd that wakes the thread when work is queued for it. Only that
/// thread calls <see cref="Poll"/>, <see cref="AddOwner"/> and <see cref="Owner.Register"/> (the IO actors bound
/// to it run nowhere else), so nothing here is locked but the wake. An event's key is the link id, with the
/// IO actor's index on this thread in the top byte: an event for a link already gone is recognised and
/// dropped, even when its descriptor number has been reused. Linux on x86-64 (epoll_event's packed layout).
/// </summary>
internal sealed unsafe partial class SocketReactor
{
    internal const uint In = 0x001;
    internal const uint Out = 0x004;
    internal const uint Err = 0x008;
    internal const uint Hup = 0x010;
    internal const uint RdHup = 0x2000;
    private const uint EdgeTriggered = 1u << 31;
    private const int CtlAdd = 1;
    private const int MaxEvents = 256;
    private const ulong WakeKey = ulong.MaxValue;
    private const int OwnerShift = 56;
    private const ulong LinkMask = (1UL << OwnerShift) - 1;

    private readonly int _epoll;
    private readonly int _wake;
    private readonly List<IActorRef> _owners = [];

    private SocketReactor(int epoll, int wake)
    {
        _epoll = epoll;
        _wake = wake;
    }

    /// <summary>Whether this platform has one (otherwise the IO actors stay on .NET's socket engine).</summary>
    public static bool Supported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>A new epoll set with its wake-up eventfd; null where epoll is unavailable.</summary>
    public static SocketReactor? Create()
    {
        if (!Supported)
        {
            return null;
        }

        var epoll = EpollCreate1(SocketDescriptor.CloseOnExec);
        var wake = EventFd(0, SocketDescriptor.CloseOnExec | SocketDescriptor.NonBlocking);
        var registration = new EpollEvent { Events = In, Data = WakeKey };
        if (epoll < 0 || wake < 0 || EpollCtl(epoll, CtlAdd, wake, &registration) != 0)
        {
            SocketDescriptor.Close(epoll);
            SocketDescriptor.Close(wake);
            return null;
        }

        return new SocketReactor(epoll, wake);
    }

    /// <summary>Makes <paramref name="owner"/> an IO actor of this thread; its links' sockets are registered through what it returns.</summary>
    public Owner AddOwner(IActorRef owner)
    {
        var index = _owners.IndexOf(owner);
        if (index < 0)
        {
            if (_owners.Count == byte.MaxValue)
            {
                throw new InvalidOperationException("too many IO actors on one IO thread");
            }

            _owners.Add(owner);
            index = _owners.Count - 1;
        }

        return new Owner(this, (ulong)index << OwnerShift);
    }

    /// <summary>One IO actor's place in this set: the prefix of its links' keys.</summary>
    internal sealed class Owner(SocketReactor reactor, ulong prefix)
    {
        /// <summary>Watches <paramref name="descriptor"/> (a non-blocking socket) for link <paramref name="linkId"/>, edge-triggered.</summary>
        public SocketError Register(int descriptor, long linkId)
        {
            var registration = new EpollEvent { Events = In | Out | RdHup | EdgeTriggered, Data = prefix | ((ulong)linkId & LinkMask) };
            return EpollCtl(reactor._epoll, CtlAdd, descriptor, &registration) == 0 ? SocketError.Success : SocketDescriptor.FromErrno(Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> ms (0: only looks; -1: until something happens) and tells each
    /// owner, in one <see cref="IoActor.SocketEvents"/>, which of its links became ready.
    /// </summary>
    public void Poll(int timeout)
    {
        var events = stackalloc EpollEvent[MaxEvents];
        var n = EpollWait(_epoll, events, MaxEvents, timeout);
        if (n <= 0)
        {
            return;
        }

        var ready = 0;
        for (var i = 0; i < n; i++)
        {
            if (events[i].Data == WakeKey)
            {
                ulong value;
                _ = Read(_wake, &value, sizeof(ulong));
            }
            else
            {
                events[ready++] = events[i];
            }
        }

        for (var owner = 0; owner < _owners.Count && ready > 0; owner++)
        {
            long[]? links = null;
            uint[]? masks = null;
            var count = 0;
            for (var i = 0; i < ready; i++)
            {
                if ((int)(events[i].Data >> OwnerShift) == owner)
                {
                    links ??= new long[ready];
                    masks ??= new uint[ready];
                    links[count] = (long)(events[i].Data & LinkMask);
                    masks[count++] = events[i].Events;
                }
            }

            if (count > 0)
            {
                _owners[owner].Tell(new IoActor.SocketEvents(links!, masks!, count), ActorRefs.NoSender);
            }
        }
    }

    /// <summary>Wakes the thread out of <see cref="Poll"/>; safe from any thread.</summary>
    public void Wake()
    {
        ulong one = 1;
        _ = Write(_wake, &one, sizeof(ulong));
    }

    /// <summary>Closes the set; by its thread, once it has stopped polling.</summary>
    public void Close()
    {
        SocketDescriptor.Close(_epoll);
        SocketDescriptor.Close(_wake);
    }

    /// <summary>Starts a non-blocking connect: Success when done at once, WouldBlock when the socket will report it writable.</summary>
    public static SocketError BeginConnect(int descriptor, IPEndPoint address)
    {
        Span<byte> sockaddr = stackalloc byte[28];
        sockaddr.Clear();
        var port = (ushort)address.Port;
        sockaddr[2] = (byte)(port >> 8);
        sockaddr[3] = (byte)port;
        int length;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            sockaddr[0] = 2; // AF_INET, then the port and the address in network order
            address.Address.TryWriteBytes(sockaddr[4..8], out _);
            length = 16;
        }
        else
        {
            sockaddr[0] = 10; // AF_INET6
            address.Address.TryWriteBytes(sockaddr[8..24], out _);
            MemoryMarshal.Write(sockaddr[24..28], (uint)address.Address.ScopeId);
            length = 28;
        }

        fixed (byte* p = sockaddr)
        {
            if (Connect(descriptor, p, length) == 0)
            {
                return SocketError.Success;
            }
        }

        // EINPROGRESS reads as WouldBlock: the socket reports writable (or an error) once the connect ends.
        return SocketDescriptor.FromErrno(Marshal.GetLastPInvokeError());
    }

    /// <summary>
    /// How a connect the socket reported in <paramref name="mask"/> ended. The kernel flags EPOLLERR whenever the
    /// socket holds an error, so a writable socket without it is connected, and only a failure costs the SO_ERROR read.
    /// </summary>
    public static SocketError ConnectResult(int descriptor, uint mask) =>
        (mask & (Err | Hup)) == 0 ? SocketError.Success : SocketDescriptor.PendingError(descriptor);

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

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, void* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, void* buffer, nint count);
}
