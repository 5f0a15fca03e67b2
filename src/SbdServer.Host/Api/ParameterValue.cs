namespace SbdServer.Host.Api;

/// <summary>Body of <c>PUT /api/parameters/{name}</c> and the shape of its GET.</summary>
internal sealed record ParameterValue(string? Value);
