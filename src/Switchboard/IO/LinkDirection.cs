namespace Switchboard.IO;

internal enum LinkDirection
{
    Outbound,
    Inbound,
}
