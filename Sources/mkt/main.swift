import MktCLI

await MktCommand.main()
