using System.Net;

namespace Switchboard.Testing.Fleet;

/// <summary>
/// Agent i listens on its own loopback address, 127.(10+i/65536).(i/256%256).(i%256) — all of 127/8 is
/// local on Linux, so a fleet of thousands gets distinct endpoints without touching the port range.
/// </summary>
public static class AgentAddresses
{
    public const int DefaultPort = 5665;

    public static IPAddress For(int index) =>
        new([127, (byte)(10 + index / 65536), (byte)(index / 256 % 256), (byte)(index % 256)]);
}
