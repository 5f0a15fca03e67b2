using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SbdServer.Capf;
using SbdServer.Host.Auth;
using SbdServer.Host.Startup;
using SbdServer.Persistence.Database;
using SbdServer.Tvs;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// What a refused setting reads like, from the real options framework's exceptions: the key (section and member) and
/// what it must be, never the framework's wrapping or a .NET type name.
/// </summary>
public sealed class StartRefusalTests
{
    [Theory]
    [InlineData("Tvs:Port", "70000", "Tvs:Port", "Tvs:Port: The field Port must be between 0 and 65535.")]
    [InlineData("Tvs:Address", "somewhere", "Tvs:Address", "Tvs:Address must be an IP address.")]
    [InlineData("Tvs:Port", "eighty", "Tvs:Port", "Tvs:Port must be a whole number, not 'eighty'.")]
    [InlineData("Tvs:AllowTls13", "perhaps", "Tvs:AllowTls13", "Tvs:AllowTls13 must be true or false, not 'perhaps'.")]
    [InlineData("Tvs:ReadTimeout", "soon", "Tvs:ReadTimeout", "Tvs:ReadTimeout must be a time span such as 00:00:05, not 'soon'.")]
    public void TvsSetting_Refused_NamesTheKeyAndTheRule(string key, string value, string setting, string reason)
    {
        var refusal = Refuse<TvsOptions>(key, value, s => s.AddOptions<TvsOptions>().BindConfiguration(TvsOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => System.Net.IPAddress.TryParse(o.Address, out _), "Tvs:Address must be an IP address."));

        Assert.Equal((2, setting, reason), (refusal.ExitCode, refusal.Setting, refusal.Reason));
    }

    [Fact]
    public void DatabaseProvider_Unknown_ListsTheProviders()
    {
        var refusal = Refuse<DatabaseOptions>("Sbd:Database:Provider", "Oracle",
            s => s.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section));

        Assert.Equal(("Sbd:Database:Provider", "Sbd:Database:Provider must be Sqlite or Postgres, not 'Oracle'."), (refusal.Setting, refusal.Reason));
    }

    [Theory]
    [InlineData("Postgres", "ConnectionStrings:Sbd")]
    [InlineData("7", "Sbd:Database:Provider")]
    public void DatabaseProvider_WithoutWhatItNeeds_NamesTheKeyToFix(string provider, string setting)
    {
        var refusal = Refuse<DatabaseOptions>("Sbd:Database:Provider", provider, s =>
        {
            s.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section);
            s.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        });

        Assert.Equal(setting, refusal.Setting);
        Assert.StartsWith(setting + " must be", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AdminOption_OutOfRange_NamedWithItsFullSection()
    {
        var refusal = Refuse<AdminOptions>("Sbd:Admin:LockoutMinutes", "0",
            s => s.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section).ValidateDataAnnotations());

        Assert.Equal(("Sbd:Admin:LockoutMinutes", "Sbd:Admin:LockoutMinutes must be 1 to 1440 (a day)."), (refusal.Setting, refusal.Reason));
    }

    [Fact]
    public void CapfIdleTimeout_NotAboveKeyGeneration_RefusedByTheCrossFieldRule()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Capf:IdleTimeout"] = "00:01:00" }).Build());
        services.AddSbdCapfServer();
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CapfOptions>>().Value);
        var refusal = StartRefusal.From(exception)!;

        Assert.Equal("Capf:IdleTimeout", refusal.Setting);
        Assert.StartsWith("Capf:IdleTimeout (00:01:00) must be longer than Capf:KeyGenerationTimeout (00:02:00)", refusal.Reason, StringComparison.Ordinal);
    }

    private static StartRefusal Refuse<T>(string key, string value, Action<IServiceCollection> register)
        where T : class
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build());
        register(services);
        using var provider = services.BuildServiceProvider();
        var exception = Record.Exception(() => provider.GetRequiredService<IOptions<T>>().Value);
        Assert.NotNull(exception);
        var refusal = StartRefusal.From(exception);
        Assert.NotNull(refusal);
        Assert.DoesNotContain("System.", refusal.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("DataAnnotation", refusal.Reason, StringComparison.Ordinal);
        return refusal;
    }
}
