using System;
using System.Collections.Concurrent;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncGuard.Rules;

/// <summary>
/// Flags <c>async void</c> methods and local functions that are not event handlers (AGD0012):
/// callers cannot await them, and an exception that escapes one usually ends the process.
/// Overrides and interface implementations stay silent: their signature is fixed elsewhere.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AsyncVoidAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property, "true" when the method is used as a delegate whose type needs void: no fix then.</summary>
    public const string UsedAsVoidDelegateProperty = "UsedAsVoidDelegate";

    /// <summary>Diagnostic property, "true" when the method implements an interface declared in source: the fix would have to change the interface too, so none is offered.</summary>
    public const string ImplementsSourceInterfaceProperty = "ImplementsSourceInterface";

    /// <summary>
    /// True when AGD0012 reports <paramref name="method"/> at its declaration (whatever its uses as
    /// a delegate), so that AGD0013 does not report it a second time where it is passed.
    /// </summary>
    internal static bool IsReportedAtDeclaration(IMethodSymbol method, KnownSymbols symbols) =>
        IsAsyncVoid(method) && !method.IsImplicitlyDeclared && !IsEventHandlerShape(method, symbols)
        && !method.IsOverride && !ImplementsInterface(method, fromMetadata: true)
        && method.DeclaringSyntaxReferences.Length > 0;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGD0012_AsyncVoid);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not { } symbols) return;
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;
            start.RegisterSymbolStartAction(typeStart => AnalyzeType(typeStart, symbols, testCode), SymbolKind.NamedType);
            start.RegisterOperationAction(c => { if (!testCode.Silences(Descriptors.AGD0012_AsyncVoid, c.Operation.Syntax.SyntaxTree)) AnalyzeLocalFunction(c, symbols); }, OperationKind.LocalFunction);
        });
    }

    private enum Use
    {
        Delegate,
        EventHandler,
    }

    /// <summary>
    /// Per type with async void methods (most types have none and cost nothing more): how the
    /// type's code uses them as delegates (an event subscription makes a handler; another void
    /// delegate blocks the fix).
    /// </summary>
    private static void AnalyzeType(SymbolStartAnalysisContext context, KnownSymbols symbols, TestCode testCode)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!type.GetMembers().Any(m => m is IMethodSymbol method && IsAsyncVoid(method))) return;
        var uses = new ConcurrentDictionary<IMethodSymbol, Use>(SymbolEqualityComparer.Default);

        context.RegisterOperationAction(c =>
        {
            var reference = (IMethodReferenceOperation)c.Operation;
            var method = reference.Method.OriginalDefinition;
            if (!IsAsyncVoid(method)) return;
            var use = UseOf(reference);
            uses.AddOrUpdate(method, use, (_, old) => old == Use.EventHandler ? old : use);
        }, OperationKind.MethodReference);

        context.RegisterSymbolEndAction(c =>
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol method && IsAsyncVoid(method) && !testCode.Silences(Descriptors.AGD0012_AsyncVoid, method.Locations.FirstOrDefault()?.SourceTree)) Report(c.ReportDiagnostic, method, symbols, uses.TryGetValue(method, out var use) ? use : null, c.CancellationToken);
            }
        });
    }

    /// <summary>An async void local function: its uses as a delegate can only be in the body that declares it.</summary>
    private static void AnalyzeLocalFunction(OperationAnalysisContext context, KnownSymbols symbols)
    {
        var local = ((ILocalFunctionOperation)context.Operation).Symbol;
        if (!IsAsyncVoid(local)) return;
        Use? found = null;
        foreach (var operation in OperationFacts.Root(context.Operation).Descendants())
        {
            if (operation is IMethodReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Method.OriginalDefinition, local))
            {
                var use = UseOf(reference);
                found = found == Use.EventHandler ? found : use;
            }
        }

        Report(context.ReportDiagnostic, local, symbols, found, context.CancellationToken);
    }

    private static Use UseOf(IMethodReferenceOperation reference)
    {
        var use = reference.Parent is IDelegateCreationOperation creation
            && OperationFacts.ConsumerOf(creation) is IEventAssignmentOperation
            ? Use.EventHandler
            : Use.Delegate;
        if (reference.Parent is IDelegateCreationOperation { Type.Name: var delegateName } && delegateName.EndsWith("EventHandler", StringComparison.Ordinal))
            use = Use.EventHandler;
        return use;
    }

    private static void Report(System.Action<Diagnostic> report, IMethodSymbol method, KnownSymbols symbols, Use? use, System.Threading.CancellationToken cancellationToken)
    {
        if (method.IsImplicitlyDeclared || IsEventHandlerShape(method, symbols)) return;

        // A base class or a referenced interface fixes the signature: nothing to change here. An
        // interface declared in source can change with it: reported, without the fix.
        if (method.IsOverride || ImplementsInterface(method, fromMetadata: true)) return;
        var implementsSource = ImplementsInterface(method, fromMetadata: false);

        var used = use is not null;
        if (use == Use.EventHandler) return;

        if (method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not { } syntax) return;

        // A callback whose delegate needs void (a timer, a token registration) and that catches
        // whatever can fail once it has awaited behaves like a plain void callback: nothing to change.
        if (used && GuardsEveryAwait(syntax)) return;
        var location = syntax switch
        {
            MethodDeclarationSyntax declaration => declaration.Identifier.GetLocation(),
            LocalFunctionStatementSyntax local => local.Identifier.GetLocation(),
            _ => null,
        };
        if (location is null) return;

        var properties = used
            ? ImmutableDictionary<string, string?>.Empty.Add(UsedAsVoidDelegateProperty, "true")
            : ImmutableDictionary<string, string?>.Empty;
        if (implementsSource) properties = properties.Add(ImplementsSourceInterfaceProperty, "true");
        var advice = used
            ? "it is passed where a void delegate is expected, so catch its exceptions inside it"
            : "return 'Task' instead";
        report(Diagnostic.Create(Descriptors.AGD0012_AsyncVoid, location, properties, method.Name, advice));
    }

    /// <summary>
    /// Every await in the body that can fail (an await of <c>Task.Delay(n)</c> without a token
    /// cannot) sits in a <c>try</c> of the body with a catch of every exception (<c>catch</c>,
    /// <c>catch (Exception)</c>, no filter). What else the callback throws it would throw as a plain
    /// void callback too; only a fault that comes back through an await is async void's own.
    /// Read from syntax.
    /// </summary>
    private static bool GuardsEveryAwait(SyntaxNode declaration)
    {
        var body = declaration switch
        {
            MethodDeclarationSyntax m => (SyntaxNode?)m.Body ?? m.ExpressionBody,
            LocalFunctionStatementSyntax l => (SyntaxNode?)l.Body ?? l.ExpressionBody,
            _ => null,
        };
        if (body is null) return false;
        var awaits = body.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .OfType<AwaitExpressionSyntax>()
            .Where(a => !IsPlainDelay(a.Expression))
            .ToList();
        return awaits.Count > 0 && awaits.All(a => a.Ancestors()
            .TakeWhile(n => n != body)
            .Any(n => n is BlockSyntax { Parent: TryStatementSyntax guard } block && guard.Block == block && guard.Catches.Any(CatchesAll)));

        static bool CatchesAll(CatchClauseSyntax clause) =>
            clause.Filter is null
            && (clause.Declaration is null || clause.Declaration.Type.ToString() is "Exception" or "System.Exception" or "global::System.Exception");

        // Task.Delay(100) or Task.Delay(TimeSpan...): one argument, no token, nothing to fail.
        static bool IsPlainDelay(ExpressionSyntax expression)
        {
            if (expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Expression: var inner } }) expression = inner;
            return expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Delay", Expression: IdentifierNameSyntax { Identifier.ValueText: "Task" } }, ArgumentList.Arguments.Count: 1 };
        }
    }

    private static bool IsAsyncVoid(IMethodSymbol method) =>
        method.IsAsync && method.ReturnsVoid && method.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction;

    /// <summary>
    /// <c>(object sender, XEventArgs e)</c>: the second parameter derives from EventArgs or, for
    /// UI stacks whose argument types do not (WinUI, some projections), is named <c>...EventArgs</c>.
    /// </summary>
    private static bool IsEventHandlerShape(IMethodSymbol method, KnownSymbols symbols)
    {
        if (method.Parameters.Length != 2) return false;
        var argsType = method.Parameters[1].Type;
        return KnownSymbols.InheritsFrom(argsType, symbols.EventArgs)
            || argsType.Name.EndsWith("EventArgs", StringComparison.Ordinal);
    }

    /// <summary>
    /// True when <paramref name="method"/> implements a member of an interface of another assembly
    /// (or, with <paramref name="fromMetadata"/> false, of its own). Another project of the solution
    /// counts as another assembly, as it does in a build, so the IDE and the build agree.
    /// </summary>
    private static bool ImplementsInterface(IMethodSymbol method, bool fromMetadata)
    {
        foreach (var explicitMember in method.ExplicitInterfaceImplementations)
        {
            if (IsElsewhere(explicitMember) == fromMetadata) return true;
        }

        if (method.MethodKind != MethodKind.Ordinary || method.DeclaredAccessibility != Accessibility.Public) return false;
        foreach (var @interface in method.ContainingType.AllInterfaces)
        {
            foreach (var member in @interface.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(member), method)
                    && IsElsewhere(member) == fromMetadata) return true;
            }
        }

        return false;

        bool IsElsewhere(ISymbol member) => !SymbolEqualityComparer.Default.Equals(member.ContainingAssembly, method.ContainingAssembly);
    }
}
