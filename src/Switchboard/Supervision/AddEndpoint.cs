using Switchboard.Configuration;

namespace Switchboard.Supervision;

/// <summary>Adds one endpoint. A duplicate or malformed one is answered with <see cref="EndpointRejected"/>.</summary>
public sealed record AddEndpoint(EndpointSettings Endpoint);
