namespace Whop.Inbox.Files;

public static class FilesSetup
{
    public static IHostApplicationBuilder AddFiles(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FilesOptions>().BindConfiguration(FilesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // libvips loads only the formats it considers safe for untrusted input (no ImageMagick, no PDF
        // or SVG renderers), and keeps no cache of decoded images between uploads.
        NetVips.NetVips.BlockUntrusted = true;
        NetVips.Cache.Max = 0;
        builder.Services.AddSingleton<FileInspector>();
        builder.Services.AddSingleton<FileService>();
        builder.Services.AddSingleton<FileAttachments>();
        builder.Services.AddSingleton<FileSweeper>();
        builder.Services.AddHostedService(s => s.GetRequiredService<FileSweeper>());
        return builder;
    }
}
