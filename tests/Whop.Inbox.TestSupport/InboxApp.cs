using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Whop.Inbox.Data;
using Xunit;

namespace Whop.Inbox.TestSupport;

/// <summary>
/// The whole app, as it runs in production, on a real loopback port and its own fresh database
/// seeded with the demo company. One per test class fixture (or collection).
/// </summary>
public class InboxApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>The bootstrap API key the app is configured with: admin of the demo company.</summary>
    public const string BootstrapApiKey = "test-bootstrap-key-0123456789abcdef";
    public const string DemoPassword = "Demo-pass-1";

    private TestDatabase? _database;
    private readonly bool _ownsDatabase;
    private readonly (string Key, string Value)[] _settings = [];

    private readonly DatabaseProvider _provider = TestDatabase.DefaultProvider;

    public InboxApp() => _ownsDatabase = true;

    /// <summary>An app on a fresh database of <paramref name="provider"/>, whatever the test run's default.</summary>
    protected InboxApp(DatabaseProvider provider) => (_ownsDatabase, _provider) = (true, provider);

    private InboxApp(TestDatabase shared, (string Key, string Value)[] settings) => (_database, _settings) = (shared, settings);

    /// <summary>
    /// An instance over a database it does not own, as several instances behind a load balancer, or one
    /// started again; <paramref name="settings"/> are configuration on top of the tests' own.
    /// </summary>
    public static InboxApp Over(TestDatabase shared, params (string Key, string Value)[] settings) => new(shared, settings);

    public TestDatabase Database => _database ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>The server's warnings and errors: a file under the system's temp folder, named after the database.</summary>
    public string LogPath => Path.Combine(Path.GetTempPath(), "whop-inbox-tests", $"{Database.Name}.log");

    /// <summary>Where the server listens, e.g. http://127.0.0.1:41234.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database ??= await TestDatabase.CreateAsync(_provider);
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(RepositoryPaths.WebProject);
        foreach (var (key, value) in Database.AppSettings()) builder.UseSetting(key, value);
        builder.UseSetting("Inbox:BootstrapApiKey", BootstrapApiKey);
        builder.UseSetting("Inbox:SeedDemoData", "true");
        builder.UseSetting("Inbox:DemoPassword", DemoPassword);
        builder.UseSetting("urls", "http://127.0.0.1:0");
        // One app serves a whole suite through a few credentials (the bootstrap key above all), so the
        // production allowance would refuse the suite's own set-up by chance, depending on how fast the
        // tests before ran. The allowance itself is tested by apps of its own, which set it again.
        builder.UseSetting("Inbox:RateLimit:RequestsPerSecond", "1000");
        builder.UseSetting("Inbox:RateLimit:Burst", "5000");
        // A circuit that fails tells the browser why, so a failing browser test shows the cause.
        builder.UseSetting("DetailedErrors", "true");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        Directory.CreateDirectory(Path.GetDirectoryName(LogPath)!);
        builder.ConfigureLogging(logging => logging.AddProvider(new ServerLog(LogPath)));
    }

    /// <summary>An HTTP client for the real port, with no credentials.</summary>
    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress };

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase && _database is not null) await _database.DisposeAsync();
    }
}

public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();
    public static string WebProject => Path.Combine(Root, "src", "Whop.Inbox");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Whop.Inbox.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Could not find Whop.Inbox.sln above " + AppContext.BaseDirectory);
    }
}
