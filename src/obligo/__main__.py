from obligo.cli import main

main()
