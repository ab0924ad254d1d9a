using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading.Tasks;
using AsyncGuard.Tests.Conventions;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace AsyncGuard.Tests.Package;

/// <summary>
/// The package's roslyn4.8 folder, run by a host on Roslyn 4.8 (as the .NET 8 SDK and Visual
/// Studio 2022 17.8 load it), reports exactly what the samples' markers say; and a .NET 10
/// consumer build loads the roslyn4.14 folder, the highest one its compiler supports.
/// </summary>
[Trait("Category", "Package")]
[Collection(PackageCollection.Name)]
public sealed class OlderHostTests
{
    private readonly PackedPackage package;
    private readonly ITestOutputHelper output;

    public OlderHostTests(PackedPackage package, ITestOutputHelper output)
    {
        this.package = package;
        this.output = output;
    }

    [Fact]
    public async Task Roslyn48Folder_UnderRoslyn48_ReportsTheSampleMarkers()
    {
        var folder = Directory.CreateDirectory(Path.Combine(package.Work, "roslyn4.8")).FullName;
        using (var archive = ZipFile.OpenRead(package.Nupkg))
        {
            foreach (var entry in archive.Entries.Where(e => e.FullName.StartsWith("analyzers/dotnet/roslyn4.8/cs/", StringComparison.Ordinal)))
                entry.ExtractToFile(Path.Combine(folder, entry.Name));
        }

        Assert.Equal(new[] { "AsyncGuard.Analyzers.dll", "AsyncGuard.CodeFixes.dll" },
            Directory.GetFiles(folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));

        var run = await package.DotNet.RunAsync(Repository.Root, new[] { HostPath(), folder, Repository.Root }.Concat(Repository.SampleFiles).ToArray());
        output.WriteLine(run.Output);
        run.EnsureSuccess("the Roslyn 4.8 host");

        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("roslyn 4.8.0.0", lines[0]);
        Assert.Equal($"analyzers {Repository.Analyzers.Length}", lines[1]);
        Assert.Equal($"fixers {Repository.Fixers.Length}", lines[2]);

        var trees = Repository.SampleFiles.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: Path.GetRelativePath(Repository.Root, f)));
        Assert.Equal(SampleTests.ExpectedFromMarkers(trees), lines.Skip(3));
    }

    [Fact]
    public async Task Net10Consumer_LoadsTheRoslyn414Folder()
    {
        var app = package.NewConsumer("highest-folder", package.ProjectXml());
        File.WriteAllText(Path.Combine(app, "Program.cs"), PackageConsumptionTests.ProgramSource);

        var build = (await package.DotNet.RunAsync(app, "build", "--no-incremental", "-v:n")).EnsureSuccess("dotnet build of the consumer");
        var analyzerArguments = build.Output.Split('\n')
            .SelectMany(l => l.Split(' '))
            .Where(a => a.StartsWith("/analyzer:", StringComparison.Ordinal) && a.Contains("asyncguard", StringComparison.OrdinalIgnoreCase))
            .Select(a => a.Replace('\\', '/'))
            .Distinct()
            .ToList();
        output.WriteLine(string.Join("\n", analyzerArguments));
        Assert.Equal(2, analyzerArguments.Count);
        Assert.All(analyzerArguments, a => Assert.Contains("/analyzers/dotnet/roslyn4.14/cs/AsyncGuard.", a, StringComparison.Ordinal));
    }

    /// <summary>The host is built beside the tests (a project reference without its assembly), in the same configuration.</summary>
    private static string HostPath()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Repository.PathOf("tests", "AsyncGuard.Roslyn48Host", "bin", configuration, "net10.0", "AsyncGuard.Roslyn48Host.dll");
        Assert.True(File.Exists(path), $"the Roslyn 4.8 host is not built at {path}");
        return path;
    }
}
